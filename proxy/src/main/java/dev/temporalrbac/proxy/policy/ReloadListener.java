package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Instant;

/** Told about each policy reload attempt, for metrics and logs. Must not block. */
public interface ReloadListener {
  /** {@code snapshot} is now in force (also called once for the policy loaded at start). */
  void installed(PolicySnapshot snapshot);

  /** A changed policy was rejected, or the source failed; the previous snapshot stays in force. */
  void rejected(String source, String error);

  /**
   * The source was read at {@code at} and what it holds is in force: just installed, or
   * unchanged (the same content, or HTTP 304). Called on every such poll.
   */
  default void confirmed(Instant at) {}

  ReloadListener NONE = new ReloadListener() {
    @Override
    public void installed(PolicySnapshot snapshot) {}

    @Override
    public void rejected(String source, String error) {}
  };
}
