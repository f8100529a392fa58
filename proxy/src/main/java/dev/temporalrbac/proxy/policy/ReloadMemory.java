package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyLoader;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@link PolicyWatcher} remembers between polls: the last rejected version (so it is not
 * retried or counted again until the source changes) and the version settling, since when.
 * Versions are keys: a content version plus its signature's hash ({@link #fingerprint}), with the
 * signing keys' version appended when the verdict depended on them, or a read failure's message.
 * Confined to the watcher's lock.
 */
final class ReloadMemory {
  private String rejected;
  private String settling;
  private Instant settlingSince;

  /**
   * The key of a content with its signature: a version rejected for a bad signature is tried
   * again once the signature changes, even when the content does not.
   */
  static String fingerprint(String version, byte[] signature) {
    return signature == null ? version : version + "+" + PolicyLoader.version(signature);
  }

  boolean isRejected(String key) {
    return key.equals(rejected);
  }

  void rejected(String key) {
    rejected = key;
    settling = null;
  }

  /** The source holds the version in force, or one was just installed: forget both. */
  void clear() {
    rejected = null;
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
