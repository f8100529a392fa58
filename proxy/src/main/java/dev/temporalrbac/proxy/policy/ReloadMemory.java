package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyLoader;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@link PolicyWatcher} remembers between polls: the last rejection (so it is counted once,
 * however often the same verdict comes back), the version it held back and until when (so it is
 * not checked again before then), and the version settling, since when. Versions are keys: a
 * content version plus its signature's hash ({@link #fingerprint}); a rejection's key may add what
 * else the verdict depended on (the signing keys' version, a read failure's message). Confined to
 * the watcher's lock.
 */
final class ReloadMemory {
  /**
   * How long a rejected version waits before it is checked again when the verdict depended on the
   * signing keys (no key fits its {@code kid}, the key does not verify it, they cannot be read) or
   * was a runtime exception: a version signed with a new key before the JWKS had it installs
   * within a minute of the JWKS having it, and one that never verifies costs a read of the keys
   * (a GET, for a JWKS URL) a minute, not one a poll. An {@code iat} too far ahead of the clock
   * ({@link ReplayGuard}) waits until the clock has caught up instead.
   */
  static final Duration RECHECK = Duration.ofMinutes(1);

  private String rejected;
  private String held;
  private Instant heldSince;
  private Instant heldUntil;
  private String settling;
  private Instant settlingSince;

  /**
   * The key of a content with its signature: a version rejected for a bad signature is tried
   * again once the signature changes, even when the content does not.
   */
  static String fingerprint(String version, byte[] signature) {
    return signature == null ? version : version + "+" + PolicyLoader.version(signature);
  }

  /** Whether {@code key} is the last rejection: the same verdict again is not counted again. */
  boolean isRejected(String key) {
    return key.equals(rejected);
  }

  /**
   * Whether {@code fingerprint} was rejected and is not to be checked again yet: until it changes,
   * or until {@code heldUntil} when the rejection said so. A clock set back before the rejection
   * ends the wait (it would otherwise last as long as the step).
   */
  boolean holds(String fingerprint, Instant now) {
    return fingerprint.equals(held)
        && (heldUntil == null || now.isBefore(heldUntil) && !now.isBefore(heldSince));
  }

  /**
   * Remembers a rejection.
   *
   * @param key the verdict, counted once
   * @param fingerprint the version held back, or null to check it again on the next poll
   * @param until when to check it again; null: only once it changes
   */
  void rejected(String key, String fingerprint, Instant now, Instant until) {
    rejected = key;
    held = fingerprint;
    heldSince = now;
    heldUntil = until;
    settling = null;
  }

  /** The source holds the version in force, or one was just installed: forget all. */
  void clear() {
    rejected = null;
    held = null;
    settling = null;
  }

  /** A version finished settling (it is being tried now). */
  void settled() {
    settling = null;
  }

  /**
   * True once {@code key} has been seen at least {@code settle} apart; the first sight of a key
   * (or of a different one) starts its time afresh, and so does a clock set back.
   */
  boolean settled(String key, Instant now, Duration settle) {
    if (!key.equals(settling)) {
      settling = key;
      settlingSince = now;
      return false;
    }
    if (now.isBefore(settlingSince)) {
      settlingSince = now; // the wall clock was set back: time the settle from here
    }
    return Duration.between(settlingSince, now).compareTo(settle) >= 0;
  }
}
