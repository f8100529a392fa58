package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Resolves a {@link Caller} to its effective rights under one snapshot: API keys by the SHA-256 of
 * their secret, refused when unknown, disabled or expired (by the injected clock). Thread-safe;
 * hashing uses a per-thread digest and buffers, so authenticating allocates nothing.
 */
final class Authenticator {
  /** Per-thread hashing state, so hashing a secret allocates nothing. */
  private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

  private final Clock clock;

  Authenticator(Clock clock) {
    this.clock = clock;
  }

  /** Lower-case hex SHA-256 of a secret, as the policy file stores it. */
  static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(HASHERS.get().digest(secret));
  }

  /**
   * The caller's rights (and, through {@code out}, the key id it used), or null with a failure
   * saying what was missing recorded in {@code out}.
   */
  EffectiveRights authenticate(PolicySnapshot policy, Caller caller, DecisionContext out) {
    if (caller.principalId() != null) {
      EffectiveRights rights = policy.rightsOf(caller.principalId());
      if (rights == null) {
        out.fail(Reason.UNKNOWN_PRINCIPAL, "principal " + caller.principalId()
            + " is not in the policy (version " + policy.version() + ")");
        return null;
      }
      return rights;
    }
    if (caller.credentialCount() > 1) {
      out.fail(Reason.MULTIPLE_CREDENTIALS, "the call carries " + caller.credentialCount()
          + " authorization headers; send exactly one 'authorization: Bearer <api key>'");
      return null;
    }
    if (caller.apiKeySecret() == null) {
      out.fail(Reason.NO_CREDENTIALS,
          "no API key: send the header 'authorization: Bearer <api key>'");
      return null;
    }
    int slot = policy.findKey(HASHERS.get().digest(caller.apiKeySecret()));
    if (slot < 0) {
      out.fail(Reason.UNKNOWN_KEY, "the API key is not in the policy (version "
          + policy.version() + "); check the key or ask for it to be added");
      return null;
    }
    ApiKey key = policy.keyAt(slot);
    if (key.disabled()) {
      out.fail(Reason.KEY_DISABLED, "API key " + key.id() + " is disabled");
      return null;
    }
    if (key.expires() != null && key.isExpiredAt(clock.instant())) { // no Instant per call otherwise
      out.fail(Reason.KEY_EXPIRED, "API key " + key.id() + " expired at " + key.expires());
      return null;
    }
    EffectiveRights rights = policy.ownerRights(slot);
    if (rights == null) {
      out.fail(Reason.UNKNOWN_PRINCIPAL, "API key " + key.id() + " belongs to " + key.owner()
          + ", who is not in the policy");
      return null;
    }
    out.keyId = key.id();
    return rights;
  }

  /** A thread's SHA-256 state and buffers; {@link #digest} returns its own reused array. */
  private static final class Hasher {
    private final MessageDigest digest;
    private final byte[] out = new byte[32];
    private byte[] in = new byte[128];

    Hasher() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JVM lacks SHA-256", e);
      }
    }

    /** The SHA-256 of the secret's UTF-8 bytes, in this hasher's buffer (valid until next use). */
    byte[] digest(String secret) {
      int length = secret.length();
      if (length > in.length) {
        in = new byte[Math.max(length, in.length * 2)];
      }
      boolean ascii = true;
      for (int i = 0; i < length && ascii; i++) {
        char c = secret.charAt(i);
        ascii = c < 0x80;
        in[i] = (byte) c;
      }
      digest.reset();
      if (ascii) {
        digest.update(in, 0, length);
      } else {
        digest.update(secret.getBytes(StandardCharsets.UTF_8));
      }
      java.util.Arrays.fill(in, 0, Math.min(length, in.length), (byte) 0); // no secret left behind
      try {
        digest.digest(out, 0, out.length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
      return out;
    }
  }
}
