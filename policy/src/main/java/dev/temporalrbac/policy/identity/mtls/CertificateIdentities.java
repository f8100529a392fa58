package dev.temporalrbac.policy.identity.mtls;

import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.CertificateAuthenticator;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.security.cert.X509Certificate;
import java.util.List;

/** Names principals from client certificates. Placeholder while issue 10 is being built. */
public final class CertificateIdentities implements CertificateAuthenticator {
  public CertificateIdentities(MtlsSettings settings) {}

  @Override
  public Authentication authenticate(PolicySnapshot policy, List<X509Certificate> chain) {
    return Authentication.refused(Reason.CERTIFICATE_NO_NAME, IdentifiedBy.MTLS, "",
        "client certificates are not built yet");
  }
}
