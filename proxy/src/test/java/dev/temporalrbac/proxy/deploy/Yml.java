package dev.temporalrbac.proxy.deploy;

import java.util.List;
import java.util.Map;

/**
 * Reading a parsed YAML tree (SnakeYAML's maps and lists) along a path of keys, with a missing
 * step read as empty, so a check can say "no such field" instead of failing on a cast. Stateless.
 */
final class Yml {
  private Yml() {}

  /** The map at {@code path} under {@code node}; empty when any step is missing or not a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String... path) {
    Object value = at(node, path);
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The list at {@code path}; empty when missing or not a list. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String... path) {
    Object value = at(node, path);
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** The scalar at {@code path} as text; null when missing or not a scalar. */
  static String text(Object node, String... path) {
    Object value = at(node, path);
    return value == null || value instanceof Map || value instanceof List
        ? null : String.valueOf(value);
  }

  /** The list at {@code path}, each element as text. */
  static List<String> texts(Object node, String... path) {
    return list(node, path).stream().map(String::valueOf).toList();
  }

  /** The value at {@code path}, or null. */
  static Object at(Object node, String... path) {
    Object current = node;
    for (String step : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(step);
    }
    return current;
  }
}
