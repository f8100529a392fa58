package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads two policy documents and compares them; renders each change from its fields (not its
 * text) as {@code + kind subject attribute: from -> to}, so the tables state what changed
 * independently of the wording.
 */
final class DiffFixture {
  /** The comparison's "now": keys expiring before it are expired. */
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final PolicyComparer COMPARER = new PolicyComparer(MethodCatalog.load());

  private DiffFixture() {}

  static PolicySnapshot load(String yaml) {
    try {
      return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", NOW);
    } catch (PolicyException e) {
      throw new AssertionError("test policy rejected: " + e.errors() + "\n" + yaml, e);
    }
  }

  static PolicyDiff diff(String before, String after) {
    return COMPARER.compare(load(before), load(after), NOW);
  }

  /** The entry for {@code id}, or null when nothing differs for it. */
  static PrincipalDiff of(PolicyDiff diff, String id) {
    return diff.principals().stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
  }

  /** The entry for group {@code id}, or null when nothing differs for it. */
  static GroupDiff group(PolicyDiff diff, String id) {
    return diff.groups().stream().filter(g -> g.id().equals(id)).findFirst().orElse(null);
  }

  /** Gains ({@code +}), losses ({@code -}) then neutral changes ({@code ~}), one line each. */
  static List<String> lines(PrincipalDiff diff) {
    return diff == null ? List.of() : lines(diff.gains(), diff.losses(), diff.changes());
  }

  /** As {@link #lines(PrincipalDiff)}, for a group. */
  static List<String> lines(GroupDiff diff) {
    return diff == null ? List.of() : lines(diff.gains(), diff.losses(), diff.changes());
  }

  private static List<String> lines(List<Change> gains, List<Change> losses,
      List<Change> changes) {
    List<String> lines = new ArrayList<>();
    gains.forEach(change -> lines.add(line("+", change)));
    losses.forEach(change -> lines.add(line("-", change)));
    changes.forEach(change -> lines.add(line("~", change)));
    return lines;
  }

  private static String line(String sign, Change change) {
    return sign + " " + change.kind().label()
        + (change.subject() == null ? "" : " " + change.subject())
        + (change.attribute() == null ? "" : " " + change.attribute()) + ": "
        + (change.from() == null ? "none" : change.from()) + " -> "
        + (change.to() == null ? "none" : change.to());
  }
}
