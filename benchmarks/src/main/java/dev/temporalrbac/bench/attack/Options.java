package dev.temporalrbac.bench.attack;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} flags of the attack tool, with defaults. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  Options(String[] argv, int from) {
    for (int i = from; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --flag value at '" + argv[i] + "'");
      }
      values.put(argv[i].substring(2), argv[++i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(get(name, String.valueOf(fallback)));
  }

  double number(String name, double fallback) {
    return Double.parseDouble(get(name, String.valueOf(fallback)));
  }

  /** The proxy's main address. */
  String target() {
    return required("target");
  }

  /** The caller's API key secret: write on {@link #allowed()} only. */
  String secret() {
    return get("secret", "example-ci-secret");
  }

  String allowed() {
    return get("allowed", "payments");
  }

  String foreign() {
    return get("foreign", "billing");
  }
}
