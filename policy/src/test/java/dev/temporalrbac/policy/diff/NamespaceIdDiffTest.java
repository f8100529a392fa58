package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Namespace ids: a non-admin may make a call naming a namespace only by id when the policy maps
 * the id to a name it holds a permission on (PERMISSIONS.md §5), so an id's mapping removed,
 * moved or added changes what holders of the old and new names may do by id. Admins everywhere
 * may call by any id and are untouched.
 */
class NamespaceIdDiffTest {
  /** Alice writes payments, bob reads orders, root is a global admin, group ops reads payments. */
  private static String policy(String namespaces) {
    return "groups:\n  - id: ops\n    role: read_only\n    namespaces: {payments: read}\n"
        + "users:\n  - id: alice\n    role: read_only\n    namespaces: {payments: write}\n"
        + "  - id: bob\n    role: read_only\n    namespaces: {orders: read}\n"
        + "  - id: root\n    role: global_admin\n"
        + "namespaces:\n" + namespaces;
  }

  private static final String MAPPED = policy("  - name: payments\n    id: ns-1\n"
      + "  - name: orders\n");
  private static final String UNMAPPED = policy("  - name: payments\n  - name: orders\n");
  private static final String MOVED = policy("  - name: payments\n"
      + "  - name: orders\n    id: ns-1\n");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("the id removed", MAPPED, UNMAPPED,
            List.of("- namespace_id ns-1: write -> none"), List.of(),
            List.of("- namespace_id ns-1: read -> none"), true),
        Arguments.of("the id added", UNMAPPED, MAPPED,
            List.of("+ namespace_id ns-1: none -> write"), List.of(),
            List.of("+ namespace_id ns-1: none -> read"), false),
        Arguments.of("the id moved to another namespace", MAPPED, MOVED,
            List.of("- namespace_id ns-1: write -> none"),
            List.of("+ namespace_id ns-1: none -> read"),
            List.of("- namespace_id ns-1: read -> none"), true),
        Arguments.of("the mapping unchanged", MAPPED, MAPPED, List.of(), List.of(), List.of(),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void byIdCallsGainAndLose(String name, String before, String after, List<String> alice,
      List<String> bob, List<String> ops, boolean losesSomething) {
    PolicyDiff diff = DiffFixture.diff(before, after);

    assertEquals(alice, DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals(bob, DiffFixture.lines(DiffFixture.of(diff, "bob")));
    assertEquals(ops, DiffFixture.lines(DiffFixture.group(diff, "ops")));
    assertEquals(List.of(), DiffFixture.lines(DiffFixture.of(diff, "root")),
        "admins call by any id");
    assertEquals(losesSomething, diff.losesSomething());
  }

  @Test
  void anIdMovedBetweenNamespacesHeldAlikeIsNeutral() {
    String both = "users:\n  - id: alice\n    role: read_only\n"
        + "    namespaces: {payments: write, orders: write}\nnamespaces:\n";
    PolicyDiff diff = DiffFixture.diff(both + "  - name: payments\n    id: ns-1\n"
        + "  - name: orders\n", both + "  - name: payments\n  - name: orders\n    id: ns-1\n");

    assertEquals(List.of("~ namespace_id ns-1: write -> write"),
        DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals("calls naming namespace id ns-1 (namespace payments -> namespace orders):"
        + " write -> write", DiffFixture.of(diff, "alice").changes().get(0).text());
  }
}
