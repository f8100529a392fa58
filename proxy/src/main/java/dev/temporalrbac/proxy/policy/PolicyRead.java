package dev.temporalrbac.proxy.policy;

/**
 * The outcome of one read of a {@link PolicySource}. Immutable.
 *
 * @param content what was read; null when {@link #unchanged} or {@link #moving}
 * @param signature the detached JWS read with it, or null when the source is not signed
 * @param unchanged the source confirmed that the version in force is still current (HTTP 304)
 * @param moving the source changed while it was read (a ConfigMap swap): nothing usable was read,
 *     and that is no failure; the next poll reads the new version
 */
public record PolicyRead(PolicyContent content, byte[] signature, boolean unchanged,
    boolean moving) {
  static final PolicyRead UNCHANGED = new PolicyRead(null, null, true, false);
  static final PolicyRead MOVING = new PolicyRead(null, null, false, true);

  static PolicyRead of(PolicyContent content, byte[] signature) {
    return new PolicyRead(content, signature, false, false);
  }
}
