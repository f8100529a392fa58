package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Changes made elsewhere in the policy that change what alice holds: a group she stays in, the
 * namespaces recorded as her creations (PERMISSIONS.md §2: a Developer holds Namespace Admin on
 * what it created until revoked), and her namespace scope as a service account.
 */
class GroupAndCreatorDiffTest {
  private static String member(String groupRole, String groupGrants) {
    return "groups:\n  - id: team\n    role: " + groupRole + "\n"
        + (groupGrants.isEmpty() ? "" : "    namespaces: {" + groupGrants + "}\n")
        + "users:\n  - id: alice\n    role: read_only\n    groups: [team]\n"
        + "  - id: bob\n    role: read_only\n";
  }

  private static String creator(String role, String namespaces) {
    return "users:\n  - id: alice\n    role: " + role + "\n    namespaces: {orders: read}\n"
        + "  - id: bob\n    role: developer\n" + "namespaces:\n" + namespaces;
  }

  private static String scoped(String namespace, String permission) {
    return "service_accounts:\n  - id: alice\n    namespace_scoped:\n      namespace: " + namespace
        + "\n      permission: " + permission + "\n";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("the group's grant is lowered", member("read_only", "billing: write"),
            member("read_only", "billing: read"), List.of(
                "- namespace billing: write -> read",
                "~ group team: role read_only; billing: write -> role read_only; billing: read")),
        Arguments.of("the group's role is raised", member("read_only", ""),
            member("developer", ""), List.of(
                "+ account: read_only -> read_only+developer",
                "~ group team: role read_only -> role developer")),
        Arguments.of("creator admin revoked", creator("developer",
                "  - name: orders\n    created_by: alice\n"),
            creator("developer", "  - name: orders\n    created_by: alice\n"
                + "    creator_admin: false\n"), List.of(
                "- namespace orders: admin -> read",
                "~ namespace_fact orders: created by it, creator_admin true"
                    + " -> created by it, creator_admin false")),
        Arguments.of("recorded as creator", creator("developer", "  - name: orders\n"),
            creator("developer", "  - name: orders\n    created_by: alice\n"), List.of(
                "+ namespace orders: read -> admin",
                "~ namespace_fact orders: none -> created by it, creator_admin true")),
        Arguments.of("a read-only creator holds nothing by it",
            creator("read_only", "  - name: orders\n"),
            creator("read_only", "  - name: orders\n    created_by: alice\n"), List.of(
                "~ namespace_fact orders: none -> created by it, creator_admin true")),
        Arguments.of("scope moves to another namespace", scoped("payments", "write"),
            scoped("billing", "write"), List.of(
                "+ namespace billing: none -> write",
                "- namespace payments: write -> none",
                "~ role: namespace_scoped (payments: write) -> namespace_scoped (billing: write)")),
        Arguments.of("scoped to read-only account: same account methods, scope lost",
            scoped("payments", "write"),
            "service_accounts:\n  - id: alice\n    role: read_only\n", List.of(
                "- namespace payments: write -> none",
                "~ role: namespace_scoped (payments: write) -> read_only")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aliceGainsAndLoses(String name, String before, String after, List<String> expected) {
    PolicyDiff diff = DiffFixture.diff(before, after);

    assertEquals(expected, DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals(List.of(), DiffFixture.lines(DiffFixture.of(diff, "bob")), "bob is untouched");
  }

  @Test
  void creatorMovedToAnotherDeveloper() {
    PolicyDiff diff = DiffFixture.diff(
        creator("developer", "  - name: orders\n    created_by: alice\n"),
        creator("developer", "  - name: orders\n    created_by: bob\n"));

    assertEquals(List.of("- namespace orders: admin -> read",
            "~ namespace_fact orders: created by it, creator_admin true -> none"),
        DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals(List.of("+ namespace orders: none -> admin",
            "~ namespace_fact orders: none -> created by it, creator_admin true"),
        DiffFixture.lines(DiffFixture.of(diff, "bob")));
  }
}
