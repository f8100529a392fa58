package dev.temporalrbac.proxy.mint;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.temporalrbac.policy.model.EffectiveRights;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;

/**
 * Mints the {@code authorization} value sent upstream in {@code upstream.credentials.mode: mint}:
 * {@code Bearer <JWT>}, signed ES256 with the proxy's key, whose {@code sub} is the principal and
 * whose {@code permissions} claim is its rights in Temporal's default claim format
 * ({@link MintedPermissions}), so a self-hosted frontend's default authorizer, trusting
 * {@link #publicJwks()}, enforces a second layer and records who acted.
 *
 * <p>Cost: one ECDSA signature takes far longer than the rest of a call's decision, so the
 * token is remembered per {@link EffectiveRights} instance (by identity, weakly: rights belong to
 * one policy snapshot, so a reload mints anew and old entries go with the snapshot) and reused
 * until less than half its lifetime remains; a bounded number is kept.
 *
 * <p>Thread-safe and lock-free apart from Caffeine's own: two calls that miss at once may both
 * mint, and the later token wins; both are valid.
 */
public final class TokenMinter {
  /** Shortest token lifetime accepted: a token is renewed at half of it. */
  public static final Duration MIN_TTL = Duration.ofSeconds(30);
  /** Longest lifetime: a minted token cannot be revoked short of rotating the signing key. */
  public static final Duration MAX_TTL = Duration.ofHours(1);
  /** The default {@code upstream.credentials.issuer}. */
  public static final String DEFAULT_ISSUER = "temporal-rbac-proxy";
  /** Distinct rights whose tokens are kept; more are minted again when next needed. */
  static final long MAX_CACHED = 10_000;

  private final JWSSigner signer;
  private final JWSHeader header;
  private final String issuer;
  private final String audience;
  private final long ttlMillis;
  private final Clock clock;
  private final String publicJwks;
  private final Cache<EffectiveRights, Minted> minted = Caffeine.newBuilder()
      .weakKeys()
      .maximumSize(MAX_CACHED)
      .build();

  /** A token and the time from which it is minted again. */
  private record Minted(String authorization, long renewAtMillis) {}

  /**
   * @param key a private P-256 key with a key id ({@link SigningKeys})
   * @param issuer the {@code iss} claim
   * @param audience the {@code aud} claim; null for none
   * @param ttl how long each token is valid; at least {@link #MIN_TTL}
   */
  public TokenMinter(ECKey key, String issuer, String audience, Duration ttl, Clock clock) {
    Objects.requireNonNull(key, "key");
    if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null) {
      throw new IllegalArgumentException("minting needs a private P-256 key with a key id");
    }
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("the issuer must not be empty");
    }
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("the token lifetime must be within " + MIN_TTL + ".."
          + MAX_TTL);
    }
    try {
      this.signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the key cannot sign ES256", e);
    }
    this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build();
    this.issuer = issuer;
    this.audience = audience;
    this.ttlMillis = ttl.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publicJwks = new JWKSet(key.toPublicJWK()).toString(true);
  }

  /** {@code Bearer <JWT>} for {@code rights}: a remembered one, or a new one when it is old. */
  public String authorization(EffectiveRights rights) {
    long now = clock.millis();
    Minted known = minted.getIfPresent(rights);
    if (known != null && now < known.renewAtMillis()) {
      return known.authorization();
    }
    long issued = now / 1000 * 1000; // JWT times are whole seconds
    Minted fresh = new Minted("Bearer " + sign(rights, issued), issued + ttlMillis / 2);
    minted.put(rights, fresh);
    return fresh.authorization();
  }

  /** The key id tokens name in their header (not secret). */
  public String keyId() {
    return header.getKeyID();
  }

  /** The JWKS holding the public half of the minting key only, as JSON. */
  public String publicJwks() {
    return publicJwks;
  }

  private String sign(EffectiveRights rights, long issued) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .subject(rights.principalId())
        .issuer(issuer)
        .issueTime(new Date(issued))
        .expirationTime(new Date(issued + ttlMillis))
        .claim("permissions", MintedPermissions.of(rights));
    if (audience != null) {
      claims.audience(audience);
    }
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign an upstream token", e);
    }
    return jwt.serialize();
  }

  @Override
  public String toString() {
    return "TokenMinter[kid=" + header.getKeyID() + ", iss=" + issuer + "]";
  }
}
