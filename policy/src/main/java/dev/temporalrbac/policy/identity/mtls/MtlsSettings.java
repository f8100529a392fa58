package dev.temporalrbac.policy.identity.mtls;

import java.util.List;

/**
 * How a TLS client certificate names a principal ({@code identity.mtls.principal_from}): the
 * first name of the first kind in {@code principalFrom} that the certificate has. Immutable.
 *
 * @param principalFrom kinds of names in order of preference (default: SPIFFE URI SAN, DNS SAN,
 *     subject common name)
 */
public record MtlsSettings(List<CertificateName> principalFrom) {
  public MtlsSettings {
    principalFrom = List.copyOf(principalFrom);
    if (principalFrom.isEmpty()) {
      throw new IllegalArgumentException("principal_from needs at least one kind of name");
    }
  }

  public static MtlsSettings defaults() {
    return new MtlsSettings(List.of(CertificateName.SPIFFE, CertificateName.DNS,
        CertificateName.CN));
  }
}
