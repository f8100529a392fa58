package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Authenticates a caller by its TLS client certificate, already verified by the TLS layer against
 * the configured client CA. Implementations name a policy principal from the certificate and
 * apply the principal's certificate filters. Must be thread-safe and must not block.
 */
@FunctionalInterface
public interface CertificateAuthenticator {
  /**
   * The rights of the principal {@code chain} names under {@code policy}, or why it is refused.
   *
   * @param chain the verified peer chain, leaf first; never empty
   */
  Authentication authenticate(PolicySnapshot policy, List<X509Certificate> chain);
}
