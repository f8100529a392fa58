package dev.temporalrbac.policy.load;

import dev.temporalrbac.policy.model.CertificateFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A principal's {@code certificate_filters}: mappings that each set at least one field, matched
 * as exact values. A filter with an error is left out (the document is rejected anyway).
 */
final class CertificateFilters {
  private static final Set<String> FIELDS = Set.of(
      "common_name", "organization", "organizational_unit", "subject_alternative_name");

  private CertificateFilters() {}

  /** The filters under {@code node} (absent: none); errors go to {@code yaml}. */
  static List<CertificateFilter> read(YamlFields yaml, Node node, String field) {
    List<CertificateFilter> filters = new ArrayList<>();
    List<Node> items = yaml.sequence(node, field + ".certificate_filters");
    for (int i = 0; i < items.size(); i++) {
      String path = field + ".certificate_filters[" + i + "]";
      int errorsBefore = yaml.errors().size();
      Map<String, String> values = new HashMap<>();
      for (Map.Entry<String, Node> entry : yaml.mapping(items.get(i), path, FIELDS).entrySet()) {
        String value = yaml.scalar(entry.getValue(), path + "." + entry.getKey());
        if (value != null && value.isBlank()) {
          yaml.error(entry.getValue(), path + "." + entry.getKey(), "must not be empty");
        } else if (value != null) {
          values.put(entry.getKey(), value);
        }
      }
      if (yaml.errors().size() > errorsBefore) {
        continue;
      }
      if (values.isEmpty()) {
        yaml.error(items.get(i), path, "a filter sets at least one of common_name, organization,"
            + " organizational_unit, subject_alternative_name");
        continue;
      }
      filters.add(new CertificateFilter(values.get("common_name"), values.get("organization"),
          values.get("organizational_unit"), values.get("subject_alternative_name")));
    }
    return filters;
  }
}
