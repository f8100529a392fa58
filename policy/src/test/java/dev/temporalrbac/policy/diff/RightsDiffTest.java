package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Account roles, namespace permissions, groups and creator grants: what alice gains and loses,
 * compared by effective rights (PERMISSIONS.md §2), with the structure behind it as neutral
 * changes.
 */
class RightsDiffTest {
  private static final String GROUPS = """
      groups:
        - id: readers
          role: read_only
          namespaces: {billing: read}
        - id: writers
          role: read_only
          namespaces: {payments: write}
        - id: devs
          role: developer
        - id: finance
          role: finance_admin
      """;

  private static String alice(String role, String grants, String groups) {
    return GROUPS + "users:\n  - id: alice\n    role: " + role + "\n"
        + (grants.isEmpty() ? "" : "    namespaces: {" + grants + "}\n")
        + (groups.isEmpty() ? "" : "    groups: [" + groups + "]\n");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing changes", alice("developer", "payments: write", "readers"),
            alice("developer", "payments: write", "readers"), List.of()),
        Arguments.of("grant raised", alice("read_only", "payments: read", ""),
            alice("read_only", "payments: write", ""), List.of(
                "+ namespace payments: read -> write", "~ grant payments: read -> write")),
        Arguments.of("grant lowered", alice("read_only", "payments: admin", ""),
            alice("read_only", "payments: read", ""), List.of(
                "- namespace payments: admin -> read", "~ grant payments: admin -> read")),
        Arguments.of("grant added", alice("read_only", "", ""),
            alice("read_only", "payments: read", ""), List.of(
                "+ namespace payments: none -> read", "~ grant payments: none -> read")),
        Arguments.of("grant removed", alice("read_only", "payments: read", ""),
            alice("read_only", "", ""), List.of(
                "- namespace payments: read -> none", "~ grant payments: read -> none")),
        Arguments.of("role raised", alice("read_only", "", ""), alice("developer", "", ""),
            List.of("+ account: read_only -> developer", "~ role: read_only -> developer")),
        Arguments.of("role lowered", alice("developer", "", ""), alice("read_only", "", ""),
            List.of("- account: developer -> read_only", "~ role: developer -> read_only")),
        Arguments.of("developer to finance admin: neither includes the other",
            alice("developer", "", ""), alice("finance_admin", "", ""), List.of(
                "+ account: developer -> finance_admin",
                "- account: developer -> finance_admin",
                "~ role: developer -> finance_admin")),
        Arguments.of("global admin to account owner", alice("global_admin", "", ""),
            alice("account_owner", "", ""), List.of(
                "+ account: global_admin -> account_owner",
                "~ role: global_admin -> account_owner")),
        Arguments.of("account owner to global admin", alice("account_owner", "", ""),
            alice("global_admin", "", ""), List.of(
                "- account: account_owner -> global_admin",
                "~ role: account_owner -> global_admin")),
        Arguments.of("global admin to developer keeps one grant",
            alice("global_admin", "payments: write", ""),
            alice("developer", "payments: write", ""), List.of(
                "- account: global_admin -> developer",
                "- namespace *: admin -> none",
                "- namespace payments: admin -> write",
                "~ role: global_admin -> developer")),
        Arguments.of("developer to global admin", alice("developer", "", ""),
            alice("global_admin", "", ""), List.of(
                "+ account: developer -> global_admin",
                "+ namespace *: none -> admin",
                "~ role: developer -> global_admin")),
        Arguments.of("grant moved to a group it joins: same rights",
            alice("read_only", "payments: write", ""), alice("read_only", "", "writers"),
            List.of("~ grant payments: write -> none",
                "~ group writers: none -> role read_only; payments: write")),
        Arguments.of("role moved to a group it joins: same rights",
            alice("developer", "", ""), alice("read_only", "", "devs"), List.of(
                "~ role: developer -> read_only", "~ group devs: none -> role developer")),
        Arguments.of("joining a group adds its grants", alice("read_only", "", ""),
            alice("read_only", "", "readers"), List.of(
                "+ namespace billing: none -> read",
                "~ group readers: none -> role read_only; billing: read")),
        Arguments.of("leaving a group takes its role", alice("read_only", "", "devs"),
            alice("read_only", "", ""), List.of(
                "- account: read_only+developer -> read_only",
                "~ group devs: role developer -> none")),
        Arguments.of("joining a finance group adds its methods and takes none",
            alice("developer", "", ""), alice("developer", "", "finance"), List.of(
                "+ account: developer -> finance_admin+developer",
                "~ group finance: none -> role finance_admin")),
        Arguments.of("developer to finance admin through groups: a gain and a loss",
            alice("read_only", "", "devs"), alice("read_only", "", "finance"), List.of(
                "+ account: read_only+developer -> read_only+finance_admin",
                "- account: read_only+developer -> read_only+finance_admin",
                "~ group devs: role developer -> none",
                "~ group finance: none -> role finance_admin")),
        Arguments.of("a group's own grant keeps a lowered grant up",
            alice("read_only", "billing: write", "readers"),
            alice("read_only", "billing: read", "readers"), List.of(
                "- namespace billing: write -> read", "~ grant billing: write -> read")),
        Arguments.of("a lowered own grant under a stronger group grant changes nothing",
            alice("read_only", "payments: write", "writers"),
            alice("read_only", "payments: read", "writers"), List.of(
                "~ grant payments: write -> read")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aliceGainsAndLoses(String name, String before, String after, List<String> expected) {
    PolicyDiff diff = DiffFixture.diff(before, after);

    assertEquals(expected, DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals(expected.stream().anyMatch(line -> line.startsWith("-")), diff.losesSomething());
  }
}
