package dev.temporalrbac.policy.identity.mtls;

import dev.temporalrbac.policy.model.CertificateFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a certificate's names satisfy a principal's certificate filters, as Temporal Cloud
 * applies them: no filters admit any certificate; otherwise one filter must match, and a filter
 * matches when each field it sets equals the certificate's (exact, case-sensitive). A subject with
 * several different or unreadable common names matches no {@code common_name}. Stateless.
 */
final class FilterMatch {
  private FilterMatch() {}

  /**
   * Null when {@code names} satisfies {@code filters}; otherwise, per filter, which of its fields
   * differed (e.g. {@code "filter 1: organization; filter 2: common_name"}).
   */
  static String mismatch(List<CertificateFilter> filters, CertificateNames names) {
    if (filters.isEmpty()) {
      return null;
    }
    List<String> misses = new ArrayList<>(filters.size());
    for (int i = 0; i < filters.size(); i++) {
      List<String> fields = differing(filters.get(i), names);
      if (fields.isEmpty()) {
        return null;
      }
      misses.add("filter " + (i + 1) + ": " + String.join(", ", fields));
    }
    return String.join("; ", misses);
  }

  /** The fields {@code filter} sets that {@code names} does not match, in the file's names. */
  private static List<String> differing(CertificateFilter filter, CertificateNames names) {
    List<String> fields = new ArrayList<>(4);
    if (filter.commonName() != null && !filter.commonName().equals(names.commonName())) {
      fields.add("common_name");
    }
    if (filter.organization() != null && !names.organizations().contains(filter.organization())) {
      fields.add("organization");
    }
    if (filter.organizationalUnit() != null
        && !names.organizationalUnits().contains(filter.organizationalUnit())) {
      fields.add("organizational_unit");
    }
    if (filter.subjectAlternativeName() != null
        && !names.alternativeNames().contains(filter.subjectAlternativeName())) {
      fields.add("subject_alternative_name");
    }
    return fields;
  }
}
