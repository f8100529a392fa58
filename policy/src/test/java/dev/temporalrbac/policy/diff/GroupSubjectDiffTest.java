package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each group as its own subject: callers join a group through a token's groups claim with no
 * principal listing them (README, "Identities"), so a group changed while no principal is a
 * member must still show what a member gains and loses, and a loss must count.
 */
class GroupSubjectDiffTest {
  /** Group {@code team} with the given role and grants (role null: no such group). */
  private static String team(String role, String grants) {
    return (role == null ? "" : "groups:\n  - id: team\n    role: " + role + "\n"
        + (grants.isEmpty() ? "" : "    namespaces: {" + grants + "}\n"))
        + "users:\n  - id: bob\n    role: read_only\n";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a grant lowered", team("read_only", "billing: write"),
            team("read_only", "billing: read"), PrincipalDiff.Status.CHANGED, List.of(
                "- namespace billing: write -> read",
                "~ group team: role read_only; billing: write -> role read_only; billing: read"),
            true),
        Arguments.of("a grant raised", team("read_only", "billing: read"),
            team("read_only", "billing: admin"), PrincipalDiff.Status.CHANGED, List.of(
                "+ namespace billing: read -> admin",
                "~ group team: role read_only; billing: read -> role read_only; billing: admin"),
            false),
        Arguments.of("the group deleted", team("developer", "billing: read"), team(null, ""),
            PrincipalDiff.Status.REMOVED, List.of(
                "- account: developer -> none",
                "- namespace billing: read -> none",
                "~ group team: role developer; billing: read -> none"),
            true),
        Arguments.of("the group added", team(null, ""), team("read_only", "billing: read"),
            PrincipalDiff.Status.ADDED, List.of(
                "+ account: none -> read_only",
                "+ namespace billing: none -> read",
                "~ group team: none -> role read_only; billing: read"),
            false),
        Arguments.of("its role lowered", team("developer", ""), team("read_only", ""),
            PrincipalDiff.Status.CHANGED, List.of(
                "- account: developer -> read_only",
                "~ group team: role developer -> role read_only"),
            true),
        Arguments.of("a grant the role already covers", team("global_admin", ""),
            team("global_admin", "billing: read"), PrincipalDiff.Status.CHANGED, List.of(
                "~ group team: role global_admin -> role global_admin; billing: read"),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMemberByClaimGainsAndLoses(String name, String before, String after,
      PrincipalDiff.Status status, List<String> expected, boolean losesSomething) {
    PolicyDiff diff = DiffFixture.diff(before, after);

    GroupDiff team = DiffFixture.group(diff, "team");
    assertEquals(expected, DiffFixture.lines(team));
    assertEquals(status, team.status());
    assertEquals(List.of(), diff.principals(), "no principal is a member");
    assertEquals(losesSomething, diff.losesSomething());
    assertEquals(team.losses().size(), diff.lossCount());
    assertEquals(team.gains().size(), diff.gainCount());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anUnchangedGroupIsNotListed(String name, String before, String after) {
    assertEquals(List.of(), DiffFixture.diff(before, before).groups());
    assertEquals(List.of(), DiffFixture.diff(after, after).groups());
  }
}
