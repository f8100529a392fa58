package dev.temporalrbac.policy.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

/** Keys and tokens for the JWT tests: real RSA and EC keys, tokens signed with nimbus. */
final class Tokens {
  /** The instant the tests' clocks stand at. */
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Tokens() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims for {@code subject}, valid from an hour before {@link #NOW} to an hour after. */
  static JWTClaimsSet.Builder claims(String subject) {
    return new JWTClaimsSet.Builder().subject(subject)
        .issueTime(Date.from(NOW.minus(Duration.ofHours(1))))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
  }

  /** {@code claims} signed by {@code key} (RS256 for RSA, ES256 for EC), naming its kid. */
  static String sign(JWK key, JWTClaimsSet claims) {
    JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    return sign(key, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
  }

  static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code claims} MACed with HS256 using {@code secret} as the key (algorithm confusion). */
  static String hs256(String kid, byte[] secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token: header {@code alg: none}, empty signature. */
  static String unsigned(String headerJson, JWTClaimsSet claims) {
    return Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** Three base64url segments as given, for hand-made malformed tokens. */
  static String raw(String headerJson, String payload, String signature) {
    return Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + signature;
  }
}
