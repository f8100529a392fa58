package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.CriticalHeaderParamsAware;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.CriticalHeaderParamsDeferral;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

/**
 * Verifies an EdDSA (Ed25519) JWS with the JDK's own Ed25519, for nimbus: nimbus's
 * {@code Ed25519Verifier} needs Google Tink, which the proxy does not ship. Like nimbus's own
 * verifiers it fails a header whose {@code crit} names a parameter it was not told is understood.
 * Stateless apart from the key; thread-safe (a {@link Signature} is made per call).
 */
final class Ed25519Verifier implements JWSVerifier, CriticalHeaderParamsAware {
  private final PublicKey key;
  private final CriticalHeaderParamsDeferral critical = new CriticalHeaderParamsDeferral();
  private final JCAContext context = new JCAContext();

  /**
   * @param key an Ed25519 public key (algorithm "Ed25519" or "EdDSA")
   * @param understood critical header parameters the caller checks itself
   */
  Ed25519Verifier(PublicKey key, Set<String> understood) {
    this.key = key;
    critical.setDeferredCriticalHeaderParams(understood);
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
      throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
        && !JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
      throw new JOSEException("an Ed25519 key verifies EdDSA signatures only, not "
          + header.getAlgorithm());
    }
    if (!critical.headerPasses(header)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
  }

  @Override
  public Set<String> getProcessedCriticalHeaderParams() {
    return critical.getProcessedCriticalHeaderParams();
  }

  @Override
  public Set<String> getDeferredCriticalHeaderParams() {
    return critical.getDeferredCriticalHeaderParams();
  }

  @Override
  public JCAContext getJCAContext() {
    return context;
  }
}
