package dev.temporalrbac.proxy.config;

import dev.temporalrbac.proxy.server.EnforcementMode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Parsers of single setting values (addresses, durations, numbers, booleans). Each throws an
 * {@link IllegalArgumentException} whose message says what was expected; the loader prefixes the
 * setting's key and collects it with the others. Stateless.
 */
final class SettingValues {
  private SettingValues() {}

  /**
   * The setting {@code key} of {@code s} read by {@code parser}, or {@code fallback} when absent.
   * A bad value is reported in {@code errors} (key and why) and the fallback's reading is
   * returned, so loading goes on and every problem is reported at once.
   */
  static <T> T parse(List<String> errors, Map<String, String> s, String key, String fallback,
      Function<String, T> parser) {
    String text = s.getOrDefault(key, fallback);
    try {
      return parser.apply(text.trim());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      errors.add(key + ": " + e.getMessage());
      return parser.apply(fallback);
    }
  }

  /** The setting {@code key} of {@code s} trimmed, or null when it is absent or blank. */
  static String optional(Map<String, String> s, String key) {
    String value = s.get(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(host, (int) range(text.substring(colon + 1), 0, 65535));
  }

  /** At most this long: a year is more than any timeout or interval needs, and never overflows. */
  private static final long MAX_DURATION_SECONDS = 366L * 24 * 3600;

  static Duration duration(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(range(t.substring(0, t.length() - 2), 0,
          MAX_DURATION_SECONDS * 1000));
    }
    long unit;
    switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      default:
        throw new IllegalArgumentException(
            "expected a duration such as 500ms, 30s, 2m or 1h, got '" + text + "'");
    }
    return Duration.ofSeconds(unit * range(t.substring(0, t.length() - 1), 0,
        MAX_DURATION_SECONDS / unit));
  }

  static Duration positiveDuration(String text) {
    Duration value = duration(text);
    if (value.isZero()) {
      throw new IllegalArgumentException("must be more than zero");
    }
    return value;
  }

  static Duration wholeSeconds(String text) {
    Duration value = positiveDuration(text);
    if (value.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("must be whole seconds, got '" + text + "'");
    }
    return value;
  }

  /** A duration parser that refuses values under {@code min}, saying why ({@code what}). */
  static Function<String, Duration> atLeast(Duration min, String what) {
    return text -> {
      Duration value = duration(text);
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException("must be at least " + text(min) + " (" + what
            + "), got '" + text + "'");
      }
      return value;
    };
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  static int positive(String text) {
    return (int) range(text, 1, Integer.MAX_VALUE);
  }

  static boolean bool(String text) {
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false, got '" + text + "'");
  }

  static EnforcementMode mode(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "enforce":
        return EnforcementMode.ENFORCE;
      case "dry_run":
      case "dry-run":
        return EnforcementMode.DRY_RUN;
      default:
        throw new IllegalArgumentException("expected enforce or dry_run, got '" + text + "'");
    }
  }

  static long range(String text, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
    }
    return value;
  }
}
