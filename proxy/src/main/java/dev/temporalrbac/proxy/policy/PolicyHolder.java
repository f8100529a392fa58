package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.model.PolicySnapshot;

/**
 * The policy snapshot in force and, while there is none, why. Readers take {@link #current()}
 * once per call and decide the whole call under it; a reload builds a new snapshot off the
 * request path and swaps this one reference, so there is never a half-applied policy and, once
 * one is loaded, never a moment without one. Thread-safe.
 */
public final class PolicyHolder {
  private volatile PolicySnapshot current;
  private volatile String problem;

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
    problem = null;
  }

  /**
   * Why no policy is loaded yet (the source and its error, e.g. the URL unreachable); ignored
   * once one is.
   */
  public void noPolicyBecause(String why) {
    if (current == null) {
      problem = why;
    }
  }

  /** Why no policy is loaded, or null (one is, or no attempt failed yet). */
  public String problem() {
    return problem;
  }
}
