package dev.temporalrbac.proxy.deploy;

import java.util.Locale;

/** Byte sizes as Kubernetes quantities ({@code 512Mi}) and JVM options ({@code 512m}). Stateless. */
final class Sizes {
  private Sizes() {}

  /** A Kubernetes memory quantity: plain bytes, or a Ki/Mi/Gi or k/M/G suffix. */
  static long quantity(String text) {
    String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"},
        {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
    for (String[] unit : units) {
      if (text.endsWith(unit[0])) {
        return Long.parseLong(text.substring(0, text.length() - unit[0].length()))
            * Long.parseLong(unit[1]);
      }
    }
    return Long.parseLong(text);
  }

  /** The size of a JVM option's value such as {@code 1g}, {@code 128m}, {@code 65536k}, bytes. */
  static long jvm(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    long unit = switch (t.charAt(t.length() - 1)) {
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
  }
}
