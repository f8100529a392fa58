package dev.temporalrbac.policy.identity.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.TokenAuthenticator;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;

/**
 * Verifies JWT bearer tokens against the JWKS and maps their claims to rights (README,
 * "Identities"): a subject naming a policy user or service account gets its rights, any other a
 * token user with {@code default_role}; the groups and Temporal-format permissions claims add to
 * either. Refusals are UNAUTHENTICATED with a reason and a message that names what failed, never
 * the token.
 *
 * <p>A token that passed the signature and claim checks is remembered by its text (bounded by
 * total token characters, an entry dropped once unused for {@code refresh_interval}), so a client
 * repeating its token pays one map lookup instead of a signature check. A remembered token is
 * still checked against the clock ({@code exp}, {@code nbf}) and must have been verified with the
 * key the JWKS holds for its id now. It is remembered whatever one policy made of its subject:
 * that the signature verifies is a fact about the token and the keys, so deciding the same call
 * under the shadow policy, or the next one under a reloaded policy, neither verifies it again nor
 * spends {@code max_verifications_per_second}; the subject is looked up in the policy at hand on
 * every use, so a policy that refuses it still does. Tokens failing a check, or expired, are
 * never remembered.
 *
 * <p>Thread-safe, lock-free on the call path, never blocks: keys are fetched in the background
 * by {@link JwksKeys}.
 */
public final class JwtAuthenticator implements TokenAuthenticator {
  /** Longer bearer values are refused unread. */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;
  /** The verified-token cache's default bound, in token characters. */
  public static final long DEFAULT_CACHE_CHARS = 32L << 20;

  private final JwtSettings settings;
  private final JwksKeys keys;
  private final Clock clock;
  private final TokenVerifier verifier;
  private final long skewMillis;
  /** Verified tokens by text; null when the cache is off. */
  private final Cache<String, Remembered> verified;
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(JwtAuthenticator.class.getName());
  /** When the spent verification budget was last logged (clock millis); once a minute at most. */
  private final java.util.concurrent.atomic.AtomicLong lastExhaustedWarning =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

  public JwtAuthenticator(JwtSettings settings, JwksKeys keys, Clock clock) {
    this(settings, keys, clock, DEFAULT_CACHE_CHARS);
  }

  /**
   * As {@link #JwtAuthenticator(JwtSettings, JwksKeys, Clock)} with the verified-token cache
   * bounded to {@code cacheChars} token characters; 0 turns it off, so every call verifies a
   * signature (to bound memory tightly, or to measure that cost).
   */
  public JwtAuthenticator(JwtSettings settings, JwksKeys keys, Clock clock, long cacheChars) {
    if (cacheChars < 0) {
      throw new IllegalArgumentException("cache size must not be negative");
    }
    this.settings = settings;
    this.keys = keys;
    this.clock = clock;
    this.verifier = new TokenVerifier(settings, keys,
        new VerificationBudget(clock, settings.maxVerificationsPerSecond()));
    this.skewMillis = settings.clockSkew().toMillis();
    this.verified = cacheChars == 0 ? null : Caffeine.newBuilder()
        .maximumWeight(cacheChars)
        .<String, Remembered>weigher((token, entry) -> token.length())
        .expireAfterAccess(settings.refreshInterval())
        .build();
  }

  @Override
  public Authentication authenticate(PolicySnapshot policy, String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return refused(Reason.TOKEN_MALFORMED, "", "the JWT is " + token.length()
          + " characters long; at most " + MAX_TOKEN_CHARS + " are accepted");
    }
    Remembered hit = verified == null ? null : verified.getIfPresent(token);
    if (hit != null && keys.current().get(hit.token.key().kid()) == hit.token.key()) {
      return admit(policy, hit.token);
    }
    TokenVerifier.Result result = verifier.verify(token);
    if (result.reason() == Reason.TOKEN_VERIFICATIONS_EXHAUSTED) {
      warnExhausted();
    }
    if (result.token() == null) {
      return refused(result.reason(), result.subject(), result.message());
    }
    Authentication decided = admit(policy, result.token());
    if (verified != null && decided.reason() != Reason.TOKEN_EXPIRED) {
      verified.put(token, new Remembered(result.token(), sha256(token)));
    }
    return decided;
  }

  /** The digest computed when the token was verified; the caller looks it up as an API key. */
  @Override
  public byte[] rememberedDigest(String token) {
    Remembered entry = verified == null ? null : verified.getIfPresent(token);
    return entry == null ? null : entry.digest;
  }

  /** The time window by the clock, then the rights under {@code policy}. */
  private Authentication admit(PolicySnapshot policy, VerifiedToken token) {
    String subject = token.claims().subject();
    long now = clock.millis();
    if (now - skewMillis >= token.notAfter()) {
      return refused(Reason.TOKEN_EXPIRED, subject, "the JWT of subject " + Shown.of(subject)
          + " expired at " + Instant.ofEpochMilli(token.notAfter()) + " (clock skew allowed: "
          + settings.clockSkew().toSeconds() + " s)");
    }
    if (token.notBefore() != Long.MIN_VALUE && now + skewMillis < token.notBefore()) {
      return refused(Reason.TOKEN_NOT_YET_VALID, subject, "the JWT of subject "
          + Shown.of(subject) + " is not valid before " + Instant.ofEpochMilli(token.notBefore())
          + " (clock skew allowed: " + settings.clockSkew().toSeconds() + " s)");
    }
    EffectiveRights rights = policy.rightsOf(token.claims(), settings.defaultRole());
    if (rights == null) {
      return refused(Reason.TOKEN_UNKNOWN_SUBJECT, subject, "the JWT's subject "
          + Shown.of(subject) + " is no user or service account of the policy (version "
          + policy.version() + ") and identity.jwt.default_role is none");
    }
    return Authentication.of(rights, IdentifiedBy.JWT, subject);
  }

  /**
   * Says, once a minute at most, that new tokens are being refused unchecked: either many clients
   * got new tokens at once, or someone is sending bogus ones to lock new logins out.
   */
  private void warnExhausted() {
    long now = clock.millis();
    long last = lastExhaustedWarning.get();
    if ((last == Long.MIN_VALUE || now - last >= 60_000)
        && lastExhaustedWarning.compareAndSet(last, now)) {
      LOG.warning("new JWTs are being refused unchecked: identity.jwt.max_verifications_per_second"
          + " (" + settings.maxVerificationsPerSecond() + ") is spent; see"
          + " temporal_rbac_decisions_total{reason=\"token_verifications_exhausted\"}");
    }
  }

  private static Authentication refused(Reason reason, String subject, String message) {
    return Authentication.refused(reason, IdentifiedBy.JWT, subject, message);
  }

  /**
   * A verified token and the SHA-256 of its text, so a caller looking it up among a policy's API
   * keys on later calls does not hash it again. Immutable.
   */
  private record Remembered(VerifiedToken token, byte[] digest) {}

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
