package dev.temporalrbac.policy.load;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Policy documents for the removal tests, written out as YAML: principals p0, p1, ... alternating
 * user and service account, and API keys k0, k1, ... owned by p0.
 */
final class PolicyText {
  private PolicyText() {}

  /** Principals {@code p<from>..p<to-1>} and keys {@code k0..k<keys-1>}; {@code extra} appended. */
  static String of(int from, int to, int keys, String extra) {
    StringBuilder users = new StringBuilder("users:\n");
    StringBuilder accounts = new StringBuilder("service_accounts:\n");
    for (int i = from; i < to; i++) {
      (i % 2 == 0 ? users : accounts).append("  - id: p").append(i)
          .append("\n    role: developer\n");
    }
    StringBuilder text = new StringBuilder().append(users).append(accounts).append("api_keys:\n");
    for (int i = 0; i < keys; i++) {
      text.append("  - id: k").append(i).append("\n    owner: p").append(from)
          .append("\n    sha256: ").append(String.format("%064x", i + 1)).append('\n');
    }
    return text.append("namespaces:\n  - name: orders\n").append(extra).toString();
  }

  static String of(int principals, int keys) {
    return of(0, principals, keys, "");
  }

  static PolicySnapshot load(String yaml) throws PolicyException {
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml",
        Instant.parse("2026-06-01T00:00:00Z"));
  }
}
