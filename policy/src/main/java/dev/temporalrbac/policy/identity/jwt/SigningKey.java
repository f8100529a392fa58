package dev.temporalrbac.policy.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * One public key of the JWKS with its verifier, built once when the set is loaded. Only
 * asymmetric public keys become signing keys: a symmetric ({@code oct}) key never does, so an
 * HMAC token can never be checked against key material published as public. Immutable and
 * thread-safe (nimbus verifiers hold no per-call state).
 *
 * @param kid the key id tokens name in their header
 * @param jwk the public key (the reference a cached verification is tied to)
 * @param verifier checks a signature with this key
 */
record SigningKey(String kid, JWK jwk, JWSVerifier verifier) {

  /**
   * The signing key for one JWK of a set, or null when it cannot verify signatures: no key id,
   * marked for encryption, symmetric, or a curve or type nimbus cannot verify.
   */
  static SigningKey of(JWK jwk) {
    if (jwk.getKeyID() == null || jwk.getKeyID().isEmpty()
        || KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
      return null;
    }
    JWK publicJwk = jwk.toPublicJWK(); // null for symmetric keys
    try {
      if (publicJwk instanceof RSAKey rsa) {
        return new SigningKey(jwk.getKeyID(), rsa, new RSASSAVerifier(rsa));
      }
      if (publicJwk instanceof ECKey ec) {
        return new SigningKey(jwk.getKeyID(), ec, new ECDSAVerifier(ec));
      }
      if (publicJwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return new SigningKey(jwk.getKeyID(), okp, new Ed25519Verifier(okp));
      }
    } catch (JOSEException | LinkageError e) {
      return null; // an unsupported curve, or EdDSA without its optional library
    }
    return null;
  }

  /** True when this key can verify a signature made with {@code alg}. */
  boolean fits(JWSAlgorithm alg) {
    if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(alg.getName())) {
      return false;
    }
    if (jwk instanceof RSAKey) {
      return JWSAlgorithm.Family.RSA.contains(alg);
    }
    if (jwk instanceof ECKey ec) {
      return JWSAlgorithm.Family.EC.contains(alg) && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
    }
    return JWSAlgorithm.Family.ED.contains(alg);
  }

  /** The key's type for messages, e.g. {@code RSA}, {@code EC P-256}. */
  String describe() {
    if (jwk instanceof ECKey ec) {
      return "EC " + ec.getCurve();
    }
    return jwk.getKeyType().getValue();
  }
}
