package dev.temporalrbac.proxy.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * Refuses a signed policy version signed earlier than the signed version in force: a signature
 * proves who wrote a version, not that it is the newest, so whoever answers the source (a stale
 * cache, a compromised server) could otherwise serve an older signed version that still grants
 * what has since been revoked. Versions are ordered by their signature's {@code iat}; a different
 * version signed in the same second is refused too (which of the two is newer cannot be told).
 * Rolling back is done by signing the old content again, with an {@code iat} later than the one
 * in force. An {@code iat} more than {@link #MAX_AHEAD} ahead of this replica's clock is refused
 * as well, at start too: once in force it would make every later version look older. That
 * refusal depends on the clock, so the watcher checks the version again once the clock has caught
 * up (it does not remember it as refused for good).
 *
 * <p>It remembers the {@code iat} of the version in force only, in memory: a replica that
 * restarts has no version in force to compare with, so at start-up any validly signed version
 * is accepted (rotate the signing key when a revoked version must never be accepted again). A
 * version whose content equals the one in force is confirmed without being verified, so a
 * re-signed copy of it does not move the remembered {@code iat} forward. Confined to the
 * {@link PolicyWatcher}'s lock.
 */
final class ReplayGuard {
  /**
   * How far ahead of this replica's clock an {@code iat} may be: the skew between the signer's
   * clock and the replicas' (NTP keeps it to seconds), with the same ceiling as a JWT's
   * {@code identity.jwt.clock_skew}. Small, because a version signed by a fast clock, once in
   * force, refuses every correctly signed update until the replicas' clocks pass its {@code iat};
   * an {@code iat} in milliseconds is refused too.
   */
  static final Duration MAX_AHEAD = Duration.ofMinutes(10);

  private Instant inForce;

  /**
   * Checks a verified version other than the one in force.
   *
   * @param signedAt the version's {@code iat}
   * @param now this replica's clock
   * @throws PolicySignature.Rejected when it is not newer than the signed version in force, or
   *     signed more than {@link #MAX_AHEAD} after {@code now} (then {@link
   *     PolicySignature.Rejected#until()} says from when it may pass)
   */
  void check(Instant signedAt, Instant now) throws PolicySignature.Rejected {
    if (signedAt.isAfter(now.plus(MAX_AHEAD))) {
      throw new PolicySignature.Rejected("signed at " + signedAt + ", more than "
          + MAX_AHEAD.toMinutes() + " minutes after this replica's clock (" + now + "): is the"
          + " signer's clock fast, or iat in milliseconds? iat is in seconds since 1970; checked"
          + " again when this clock reaches " + signedAt.minus(MAX_AHEAD), null,
          signedAt.minus(MAX_AHEAD));
    }
    if (inForce == null) {
      return;
    }
    if (signedAt.isBefore(inForce)) {
      throw new PolicySignature.Rejected("signed at " + signedAt + ", older than the version in"
          + " force signed at " + inForce + ": a replayed older version? to roll back, re-sign it"
          + " with an iat later than " + inForce.getEpochSecond());
    }
    if (signedAt.equals(inForce)) {
      throw new PolicySignature.Rejected("signed at " + signedAt + ", the same second as the"
          + " version in force but with other content: which is newer cannot be told; re-sign"
          + " it with an iat later than " + inForce.getEpochSecond());
    }
  }

  /** {@code signedAt} is the iat of the version now in force; null when it is not signed. */
  void installed(Instant signedAt) {
    inForce = signedAt;
  }
}
