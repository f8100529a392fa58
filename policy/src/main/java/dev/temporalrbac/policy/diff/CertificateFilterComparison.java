package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.CertificateFilter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Compares a principal's certificate filters, which decide which client certificates naming it
 * are accepted: none means any, otherwise a certificate must match at least one. So a filter
 * added to a non-empty list accepts more certificates (a gain) and one removed accepts fewer (a
 * loss), while the first filter restricts (a loss: certificates in use may stop matching) and
 * removing the last lifts every restriction (a gain). Stateless.
 */
final class CertificateFilterComparison {
  private CertificateFilterComparison() {}

  static void compare(List<CertificateFilter> before, List<CertificateFilter> after,
      Findings out) {
    Set<CertificateFilter> was = new LinkedHashSet<>(before);
    Set<CertificateFilter> is = new LinkedHashSet<>(after);
    if (was.equals(is)) {
      return;
    }
    if (was.isEmpty()) {
      out.loss(new Change(ChangeKind.CERTIFICATE_FILTER, null, "any", describe(is),
          "certificate filters now required: " + describe(is)
              + " (a certificate matching none is refused)"));
      return;
    }
    if (is.isEmpty()) {
      out.gain(new Change(ChangeKind.CERTIFICATE_FILTER, null, describe(was), "any",
          "certificate filters removed: any certificate naming it is accepted (it had to match "
              + describe(was) + ")"));
      return;
    }
    for (CertificateFilter filter : is) {
      if (!was.contains(filter)) {
        out.gain(new Change(ChangeKind.CERTIFICATE_FILTER, null, null, describe(filter),
            "certificate filter added: " + describe(filter)));
      }
    }
    for (CertificateFilter filter : was) {
      if (!is.contains(filter)) {
        out.loss(new Change(ChangeKind.CERTIFICATE_FILTER, null, describe(filter), null,
            "certificate filter removed: " + describe(filter)));
      }
    }
  }

  private static String describe(Set<CertificateFilter> filters) {
    StringJoiner all = new StringJoiner(" or ");
    filters.forEach(filter -> all.add("(" + describe(filter) + ")"));
    return all.toString();
  }

  /** The fields it sets, e.g. {@code CN=worker, O=Acme}. */
  static String describe(CertificateFilter filter) {
    StringJoiner fields = new StringJoiner(", ");
    add(fields, "CN", filter.commonName());
    add(fields, "O", filter.organization());
    add(fields, "OU", filter.organizationalUnit());
    add(fields, "SAN", filter.subjectAlternativeName());
    return fields.toString();
  }

  private static void add(StringJoiner fields, String name, String value) {
    if (value != null) {
      fields.add(name + "=" + value);
    }
  }
}
