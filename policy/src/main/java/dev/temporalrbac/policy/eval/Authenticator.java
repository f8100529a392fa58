package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.ApiKeyEntry;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Resolves a {@link Caller} to its effective rights under one snapshot, by the precedence
 * {@link Identities} documents: a bearer credential is looked up among the API keys by the
 * SHA-256 of its secret (refused when unknown, disabled or expired by the injected clock) unless
 * no key matches and it is shaped as a JWT, which then goes to the token authenticator (when JWTs
 * are accepted); without a
 * bearer credential, a verified client certificate goes to the certificate authenticator.
 * Thread-safe; hashing uses a per-thread digest and buffers, so authenticating an API key
 * allocates nothing.
 */
final class Authenticator {
  /** Per-thread hashing state, so hashing a secret allocates nothing. */
  private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);
  /**
   * Refusals judged by the identity settings alone, whatever the policy: the authorization
   * headers' form and a client certificate without a usable name.
   */
  private static final Set<Reason> ABOUT_THE_CREDENTIAL = EnumSet.of(Reason.NO_CREDENTIALS,
      Reason.MULTIPLE_CREDENTIALS, Reason.MALFORMED_CREDENTIALS, Reason.CERTIFICATE_NO_NAME);
  /**
   * Refusals of a JWT before its subject is looked up in the policy: judged by the identity
   * settings alone, for a bearer value that is no API key of the policy.
   */
  private static final Set<Reason> ABOUT_THE_TOKEN = EnumSet.of(Reason.TOKEN_MALFORMED,
      Reason.TOKEN_FORBIDDEN_ALGORITHM, Reason.TOKEN_UNKNOWN_KEY, Reason.TOKEN_BAD_SIGNATURE,
      Reason.TOKEN_EXPIRED, Reason.TOKEN_NOT_YET_VALID, Reason.TOKEN_WRONG_ISSUER,
      Reason.TOKEN_WRONG_AUDIENCE, Reason.TOKEN_VERIFICATIONS_EXHAUSTED);

  private final Clock clock;
  private final Identities identities;

  Authenticator(Clock clock, Identities identities) {
    this.clock = clock;
    this.identities = identities;
  }

  /** Lower-case hex SHA-256 of a secret, as the policy file stores it. */
  static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(HASHERS.get().digest(secret));
  }

  /**
   * The caller's rights (and, through {@code out}, how it was identified), or null with a
   * failure saying what was missing recorded in {@code out}.
   */
  EffectiveRights authenticate(PolicySnapshot policy, Caller caller, DecisionContext out) {
    if (caller.principalId() != null) {
      out.identifiedBy = IdentifiedBy.PRINCIPAL;
      out.credentialId = caller.principalId();
      EffectiveRights rights = policy.rightsOf(caller.principalId());
      if (rights == null) {
        out.fail(Reason.UNKNOWN_PRINCIPAL, "principal " + caller.principalId()
            + " is not in the policy (version " + policy.version() + ")");
        return null;
      }
      return rights;
    }
    if (!wellFormed(caller, out)) {
      return null;
    }
    String bearer = caller.bearer();
    if (bearer == null) {
      if (!caller.certificateChain().isEmpty() && identities.certificates() != null) {
        return record(identities.certificates().authenticate(policy, caller.certificateChain()),
            out);
      }
      out.fail(Reason.NO_CREDENTIALS, "no credentials: " + identities.accepted());
      return null;
    }
    TokenAuthenticator tokens = identities.tokens();
    byte[] remembered = tokens == null ? null : tokens.rememberedDigest(bearer);
    ApiKeyEntry found = policy.findKey(remembered != null ? remembered
        : HASHERS.get().digest(bearer));
    if (found == null && tokens != null && (remembered != null || CompactJws.looksLike(bearer))) {
      // shaped as a JWT and no API key of this policy: a token (an API key may be JWT-shaped too,
      // as Temporal Cloud's are, and is found by its hash first under every policy, a token
      // verified before included; a hash match cannot be forged)
      return record(tokens.authenticate(policy, bearer), out);
    }
    return apiKey(policy, found, out);
  }

  /**
   * Whether {@code caller}, refused for {@code reason} under some policy, is refused under
   * {@code other} too, known without authenticating it again (see
   * {@link Authorizer#refusalHoldsUnder}). Hashes a bearer value at most; verifies nothing.
   */
  boolean refusalHoldsUnder(PolicySnapshot other, Caller caller, Reason reason) {
    if (ABOUT_THE_CREDENTIAL.contains(reason)) {
      return true;
    }
    if (!ABOUT_THE_TOKEN.contains(reason)) {
      return false;
    }
    // a JWT-shaped bearer value is an API key wherever a policy holds its hash
    return caller.bearer() == null || other.findKey(HASHERS.get().digest(caller.bearer())) == null;
  }

  /**
   * Whether the authorization headers are well formed: at most one, of the form {@code Bearer
   * <credential>}. Checked on every method, those open to anyone too, since the upstream might
   * read a malformed or second header otherwise. Records the failure in {@code out}.
   */
  boolean wellFormed(Caller caller, DecisionContext out) {
    if (caller.credentialCount() > 1) {
      return out.fail(Reason.MULTIPLE_CREDENTIALS, "the call carries " + caller.credentialCount()
          + " authorization headers; send exactly one ('authorization: Bearer <credential>')");
    }
    if (caller.malformedProblem() != null) {
      return out.fail(Reason.MALFORMED_CREDENTIALS, "the authorization header "
          + caller.malformedProblem() + ": " + identities.accepted());
    }
    return true;
  }

  /** Copies a token or certificate authenticator's verdict into {@code out}. */
  private static EffectiveRights record(Authentication result, DecisionContext out) {
    out.identifiedBy = result.identifiedBy();
    out.credentialId = result.credentialId();
    if (!result.authenticated()) {
      out.fail(result.reason(), result.message());
    }
    return result.rights();
  }

  /** The rights of the API key {@link PolicySnapshot#findKey} found (null: none). */
  private EffectiveRights apiKey(PolicySnapshot policy, ApiKeyEntry found, DecisionContext out) {
    out.identifiedBy = IdentifiedBy.API_KEY;
    if (found == null) {
      out.fail(Reason.UNKNOWN_KEY, "the API key is not in the policy (version "
          + policy.version() + "); check the key or ask for it to be added");
      return null;
    }
    ApiKey key = found.key();
    out.credentialId = key.id();
    if (key.disabled()) {
      out.fail(Reason.KEY_DISABLED, "API key " + key.id() + " is disabled");
      return null;
    }
    if (key.expires() != null && key.isExpiredAt(clock.instant())) { // no Instant per call otherwise
      out.fail(Reason.KEY_EXPIRED, "API key " + key.id() + " expired at " + key.expires());
      return null;
    }
    EffectiveRights rights = found.ownerRights();
    if (rights == null) {
      out.fail(Reason.UNKNOWN_PRINCIPAL, "API key " + key.id() + " belongs to " + key.owner()
          + ", who is not in the policy");
      return null;
    }
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
