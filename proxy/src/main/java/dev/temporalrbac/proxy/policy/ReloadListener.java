package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.model.PolicySnapshot;

/** Told about each policy reload attempt, for metrics and logs. Must not block. */
public interface ReloadListener {
  /** {@code snapshot} is now in force (also called once for the policy loaded at start). */
  void installed(PolicySnapshot snapshot);

  /** A changed policy file was rejected; the previous snapshot stays in force. */
  void rejected(String source, String error);

  ReloadListener NONE = new ReloadListener() {
    @Override
    public void installed(PolicySnapshot snapshot) {}

    @Override
    public void rejected(String source, String error) {}
  };
}
