package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/**
 * One public key a policy signature may be made with. Only RSA, EC and Ed25519 public keys are
 * ever keys here: no symmetric key, so an HMAC "signature" made with published key material can
 * never pass. Immutable.
 *
 * @param kid the key id a signature's header names; null for a bare PEM key
 * @param key the public key
 * @param alg the one algorithm the key is for (a JWK's {@code alg}); null when it does not say
 */
record SignatureKey(String kid, PublicKey key, JWSAlgorithm alg) {

  /** A key for any algorithm its type fits (a PEM key, a JWK without {@code alg}). */
  SignatureKey(String kid, PublicKey key) {
    this(kid, key, null);
  }

  /** Whether this key can check a signature made with {@code alg}. */
  boolean fits(JWSAlgorithm alg) {
    if (this.alg != null && !this.alg.equals(alg)) {
      return false;
    }
    if (key instanceof RSAPublicKey) {
      return JWSAlgorithm.Family.RSA.contains(alg);
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      return JWSAlgorithm.Family.EC.contains(alg) && curve != null
          && Curve.forJWSAlgorithm(alg).contains(curve);
    }
    return isEd25519() && (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg));
  }

  /**
   * A verifier for this key; {@code understood} are the critical header parameters the caller
   * checks itself (any other name in {@code crit} fails the verification, as RFC 7515 requires).
   */
  JWSVerifier verifier(Set<String> understood) throws JOSEException {
    if (key instanceof RSAPublicKey rsa) {
      return new RSASSAVerifier(rsa, understood);
    }
    if (key instanceof ECPublicKey ec) {
      return new ECDSAVerifier(ec, understood);
    }
    return new Ed25519Verifier(key, understood);
  }

  /** The key for messages, e.g. {@code 'k1' RSA}, {@code EC for ES384}, {@code Ed25519}. */
  String describe() {
    return (kid == null ? "" : "'" + kid + "' ") + (isEd25519() ? "Ed25519" : key.getAlgorithm())
        + (alg == null ? "" : " for " + alg);
  }

  private boolean isEd25519() {
    return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
  }
}
