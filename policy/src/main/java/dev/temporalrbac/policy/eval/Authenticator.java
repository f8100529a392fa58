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
 * Resolves a {@link Caller} to an {@link Identity} under one snapshot: API keys by the SHA-256 of
 * their secret, refused when unknown, disabled or expired (by the injected clock). Thread-safe.
 */
final class Authenticator {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  });

  private final Clock clock;

  Authenticator(Clock clock) {
    this.clock = clock;
  }

  /** Lower-case hex SHA-256 of a secret, as the policy file stores it. */
  static String sha256Hex(String secret) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The caller's identity, or a failure saying what was missing. Returns either an
   * {@link Identity} or a {@link Reason} with its message, through {@code out}.
   */
  Identity authenticate(PolicySnapshot policy, Caller caller, DecisionContext out) {
    if (caller.principalId() != null) {
      EffectiveRights rights = policy.rightsOf(caller.principalId());
      if (rights == null) {
        out.fail(Reason.UNKNOWN_PRINCIPAL, "principal " + caller.principalId()
            + " is not in the policy (version " + policy.version() + ")");
        return null;
      }
      return new Identity(rights, "");
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
    ApiKey key = policy.keyByHash(sha256Hex(caller.apiKeySecret()));
    if (key == null) {
      out.fail(Reason.UNKNOWN_KEY, "the API key is not in the policy (version "
          + policy.version() + "); check the key or ask for it to be added");
      return null;
    }
    if (key.disabled()) {
      out.fail(Reason.KEY_DISABLED, "API key " + key.id() + " is disabled");
      return null;
    }
    if (key.isExpiredAt(clock.instant())) {
      out.fail(Reason.KEY_EXPIRED, "API key " + key.id() + " expired at " + key.expires());
      return null;
    }
    EffectiveRights rights = policy.rightsOf(key.owner());
    if (rights == null) {
      out.fail(Reason.UNKNOWN_PRINCIPAL, "API key " + key.id() + " belongs to " + key.owner()
          + ", who is not in the policy");
      return null;
    }
    return new Identity(rights, key.id());
  }
}
