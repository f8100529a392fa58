package dev.temporalrbac.proxy.deploy;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selectors ({@code matchLabels}, and {@code matchExpressions} with In, NotIn,
 * Exists, DoesNotExist) evaluated against a set of labels, as the API server does. Stateless.
 */
final class Selectors {
  private Selectors() {}

  /** True when {@code selector} selects an object with {@code labels}; an empty one selects all. */
  static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    for (Map.Entry<String, Object> required : Yml.map(selector, "matchLabels").entrySet()) {
      if (!String.valueOf(required.getValue()).equals(String.valueOf(labels.get(required.getKey())))) {
        return false;
      }
    }
    for (Object expression : Yml.list(selector, "matchExpressions")) {
      String key = Yml.text(expression, "key");
      List<String> values = Yml.texts(expression, "values");
      Object value = labels.get(key);
      boolean ok = switch (String.valueOf(Yml.text(expression, "operator"))) {
        case "In" -> value != null && values.contains(String.valueOf(value));
        case "NotIn" -> value == null || !values.contains(String.valueOf(value));
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The labels Kubernetes puts on every namespace: its name under kubernetes.io/metadata.name. */
  static Map<String, Object> namespaceLabels(String namespace) {
    return Map.of("kubernetes.io/metadata.name", namespace);
  }
}
