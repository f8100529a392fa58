package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

/**
 * Verifies an EdDSA (Ed25519) JWS with the JDK's own Ed25519, for nimbus: nimbus's
 * {@code Ed25519Verifier} needs Google Tink, which the proxy does not ship. Stateless apart from
 * the key; thread-safe (a {@link Signature} is made per call).
 */
final class Ed25519Verifier implements JWSVerifier {
  private final PublicKey key;
  private final JCAContext context = new JCAContext();

  /** {@code key} must be an Ed25519 public key (algorithm "Ed25519" or "EdDSA"). */
  Ed25519Verifier(PublicKey key) {
    this.key = key;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
      throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
        && !JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
      throw new JOSEException("an Ed25519 key verifies EdDSA signatures only, not "
          + header.getAlgorithm());
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
  public JCAContext getJCAContext() {
    return context;
  }
}
