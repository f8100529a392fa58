package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.model.PolicySnapshot;

/**
 * The policy snapshot in force. Readers take {@link #current()} once per call and decide the
 * whole call under it; a reload builds a new snapshot off the request path and swaps this one
 * reference, so there is never a moment without a policy and never a half-applied one.
 */
public final class PolicyHolder {
  private volatile PolicySnapshot current;

  public PolicyHolder(PolicySnapshot initial) {
    this.current = initial;
  }

  /** The snapshot in force, or null if none was ever loaded (every call is then denied). */
  public PolicySnapshot current() {
    return current;
  }

  /** Makes {@code next} the snapshot in force for calls that start from now on. */
  public void install(PolicySnapshot next) {
    if (next == null) {
      throw new IllegalArgumentException("a loaded policy is never replaced by none");
    }
    current = next;
  }
}
