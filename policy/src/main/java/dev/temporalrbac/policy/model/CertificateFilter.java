package dev.temporalrbac.policy.model;

/**
 * One of a principal's {@code certificate_filters}, as Temporal Cloud has them: a client
 * certificate naming the principal must match at least one of its filters when it lists any. A
 * filter matches when every field it sets matches exactly (case-sensitive); a null field matches
 * anything. Immutable.
 *
 * @param commonName the subject's common name (CN)
 * @param organization the subject's organization (O)
 * @param organizationalUnit the subject's organizational unit (OU)
 * @param subjectAlternativeName any one DNS, URI, IP address or email subject alternative name
 */
public record CertificateFilter(String commonName, String organization, String organizationalUnit,
    String subjectAlternativeName) {

  public CertificateFilter {
    if (commonName == null && organization == null && organizationalUnit == null
        && subjectAlternativeName == null) {
      throw new IllegalArgumentException("a certificate filter needs at least one field");
    }
  }
}
