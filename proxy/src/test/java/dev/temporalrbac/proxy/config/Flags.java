package dev.temporalrbac.proxy.config;

import java.util.HashMap;
import java.util.Map;

/** Flag values for the config tests: a policy file, then the given name/value pairs. */
final class Flags {
  private Flags() {}

  static Map<String, String> of(String... pairs) {
    Map<String, String> map = new HashMap<>();
    map.put("policy", "policy.yaml");
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
