package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check --policy NEW --against OLD} as text: the per-principal and per-group diff, the
 * summary's exit code, and usage errors ({@link CheckDiffJsonTest} has the JSON form).
 */
class CheckDiffTest {
  static final String KEY_SHA = "ab".repeat(32);
  static final String OLD = """
      groups:
        - id: auditors
          role: read_only
          namespaces: {billing: read}
      users:
        - id: alice@example.com
          role: developer
          namespaces: {payments: write}
        - id: bob@example.com
          role: read_only
          namespaces: {billing: read}
      api_keys:
        - id: key-alice
          owner: alice@example.com
          sha256: %s
      """.formatted(KEY_SHA);

  @TempDir Path dir;

  private String file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
  }

  /** Alice becomes a finance admin with a lower grant, bob's grant moves to his group. */
  private String changed() throws Exception {
    return file("new.yaml", OLD
        .replace("role: developer\n    namespaces: {payments: write}",
            "role: finance_admin\n    namespaces: {payments: read}")
        .replace("bob@example.com\n    role: read_only\n    namespaces: {billing: read}",
            "bob@example.com\n    role: read_only\n    groups: [auditors]"));
  }

  @Test
  void textListsEachPrincipalsGainsAndLossesAndExitsThreeOnALoss() throws Exception {
    String old = file("old.yaml", OLD);
    String changed = changed();
    CliRun run = CliRun.of("check", "--policy", changed, "--against", old);

    assertEquals(ExitCode.LOSS, run.code(), run.err());
    assertEquals("", run.err());
    String out = run.out();
    assertTrue(out.contains("removal check OK against " + old), out);
    int block = out.indexOf("changes from " + old + " to " + changed
        + " (API keys' expiry judged at ");
    assertTrue(block > 0, out);
    List<String> lines = List.of(out.substring(out.indexOf('\n', block) + 1).split("\n"));
    assertEquals("alice@example.com (user)", lines.get(0));
    assertTrue(lines.get(1).startsWith("  + account role developer -> finance_admin: may now call"
        + " CloudService/CreateBillingReport, "), lines.get(1));
    assertTrue(lines.get(2).startsWith("  - account role developer -> finance_admin: may no"
        + " longer call CloudService/CreateNamespace, "), lines.get(2));
    assertEquals(List.of("  - namespace payments: write -> read",
        "  ~ own role developer -> finance_admin", "  ~ own grant on payments: write -> read",
        "bob@example.com (user)", "  ~ own grant on billing: read -> none",
        "  ~ joins group auditors (role read_only; billing: read)",
        "summary: 2 principals differ, 0 groups differ: 1 gain, 2 losses, 4 other changes;"
            + " something is lost: review before deploying (exit 3)"),
        lines.subList(3, lines.size()));
  }

  @Test
  void onlyGainsExitZero() throws Exception {
    String more = file("new.yaml", OLD.replace("namespaces: {payments: write}",
        "namespaces: {payments: admin}"));
    CliRun run = CliRun.of("check", "--policy", more, "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("  + namespace payments: write -> admin\n"), run.out());
    assertTrue(run.out().contains("summary: 1 principal differs, 0 groups differ: 1 gain,"
        + " 0 losses, 1 other change; nothing is lost\n"), run.out());
  }

  @Test
  void theSamePolicyDiffersInNothing() throws Exception {
    String old = file("old.yaml", OLD);
    CliRun run = CliRun.of("check", "--policy", old, "--against", old);

    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().endsWith("summary: nothing differs for any principal or group\n"),
        run.out());
  }

  @Test
  void aKeyGivenAnExpiryLosesTimeAndAtThatTimeIsNoLongerUsable() throws Exception {
    String expiring = file("new.yaml", OLD.replace("sha256: " + KEY_SHA,
        "sha256: " + KEY_SHA + "\n    expires: 2027-01-01T00:00:00Z"));
    String old = file("old.yaml", OLD);

    CliRun before = CliRun.of("check", "--policy", expiring, "--against", old, "--at",
        "2026-12-31T00:00:00Z");
    CliRun after = CliRun.of("check", "--policy", expiring, "--against", old, "--at",
        "2027-01-01t00:00:00z");

    assertEquals(ExitCode.LOSS, before.code(), before.out());
    assertTrue(before.out().contains("  - API key key-alice now expires at 2027-01-01T00:00:00Z"
        + " (it had no expiry)\n"), before.out());
    assertEquals(ExitCode.LOSS, after.code(), after.out());
    assertTrue(after.out().contains("(API keys' expiry judged at 2027-01-01T00:00:00Z)"),
        after.out());
    assertTrue(after.out().contains("  - API key key-alice usable -> expired at"
        + " 2027-01-01T00:00:00Z\n"), after.out());
    assertFalse(after.out().contains(KEY_SHA), "a key's digest is never printed");
  }

  @Test
  void aReplacedSecretIsALossNamingNeitherDigest() throws Exception {
    String newSha = "cd".repeat(32);
    CliRun run = CliRun.of("check", "--policy", file("new.yaml", OLD.replace(KEY_SHA, newSha)),
        "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.LOSS, run.code(), run.out());
    assertTrue(run.out().contains("alice@example.com (user)\n  - API key key-alice: secret"
        + " replaced (callers with the old secret are refused)\n"), run.out());
    assertFalse(run.out().contains(KEY_SHA), run.out());
    assertFalse(run.out().contains(newSha), run.out());
    assertEquals("", run.err());
  }

  @Test
  void theSummaryNamesTheRemovalChecksExitWhenItFails() throws Exception {
    String empty = file("new.yaml", "users: []\n");
    CliRun run = CliRun.of("check", "--policy", empty, "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out());
    assertTrue(run.err().startsWith("removal check FAILED against "), run.err());
    assertTrue(run.out().contains("alice@example.com (user, removed)\n"), run.out());
    String summary = run.lines().get(run.lines().size() - 1);
    assertTrue(summary.startsWith("summary: 2 principals differ, 1 group differs: "), summary);
    assertTrue(summary.endsWith("something is lost; the removal check failed (exit 1)"),
        summary);
    assertFalse(run.out().contains("exit 3"), run.out());
  }

  @Test
  void aGroupOnlyATokenJoinsIsComparedAsItself() throws Exception {
    String lowered = file("new.yaml", OLD.replace("role: read_only\n    namespaces: {billing:"
        + " read}\nusers", "role: read_only\nusers"));
    CliRun run = CliRun.of("check", "--policy", lowered, "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.LOSS, run.code(), run.out());
    String out = run.out();
    List<String> lines = List.of(out.substring(out.indexOf("changes from ")).split("\n"));
    assertEquals(List.of(
        "groups (what a member holding only that group gains and loses; a token's groups claim"
            + " may make one a member):",
        "  auditors",
        "    - namespace billing: read -> none",
        "    ~ group auditors: role read_only; billing: read -> role read_only",
        "summary: 0 principals differ, 1 group differs: 0 gains, 1 loss, 1 other change;"
            + " something is lost: review before deploying (exit 3)"),
        lines.subList(1, lines.size()));
  }

  @Test
  void aNamespaceIdNoLongerMappedIsALossForItsHolders() throws Exception {
    String mapped = OLD + "namespaces:\n  - name: payments\n    id: ns-payments\n";
    String unmapped = OLD + "namespaces:\n  - name: payments\n";
    CliRun run = CliRun.of("check", "--policy", file("new.yaml", unmapped), "--against",
        file("old.yaml", mapped));

    assertEquals(ExitCode.LOSS, run.code(), run.out());
    assertTrue(run.out().contains("alice@example.com (user)\n  - calls naming namespace id"
        + " ns-payments (namespace payments -> not mapped): write -> none\n"), run.out());
    assertFalse(run.out().contains("bob@example.com"), run.out());
  }


  @Test
  void aBadAgainstFileIsNamedAsThatSide() throws Exception {
    String bad = file("old.yaml", "users:\n  - id: x\n    role: superuser\n");
    CliRun invalid = CliRun.of("check", "--policy", file("new.yaml", OLD), "--against", bad);
    CliRun missing = CliRun.of("check", "--policy", file("new.yaml", OLD), "--against",
        dir.resolve("none.yaml").toString(), "--format", "json");

    assertEquals(ExitCode.POLICY_ERROR, invalid.code());
    assertTrue(invalid.err().startsWith("--against: policy rejected: 1 error\n" + bad
        + ":3: users[0].role: unknown role"), invalid.err());
    assertEquals(ExitCode.POLICY_ERROR, missing.code());
    assertTrue(missing.err().startsWith("--against: cannot read the policy file "
        + dir.resolve("none.yaml") + ": no such file"), missing.err());
    assertEquals("", missing.out());
  }

  @Test
  void aBadNewFileIsNamedAsThatSide() throws Exception {
    String bad = file("new.yaml", "users: [");
    CliRun run = CliRun.of("check", "--policy", bad, "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().startsWith("--policy: policy rejected: 1 error\n" + bad + ":"),
        run.err());
    assertEquals("", run.out());
  }

  static Stream<Arguments> usageErrors() {
    String policy = CliRun.resource("policy-ok.yaml");
    String time = "check: --at: expected an RFC 3339 time such as 2027-01-01T00:00:00Z\n";
    return Stream.of(
        Arguments.of(List.of("--policy", policy, "--against", policy, "--format", "yaml"),
            "check: --format: expected text or json\n"),
        Arguments.of(List.of("--policy", policy, "--format", "json"),
            "check: --format json prints the diff: give --against OLD too\n"),
        Arguments.of(List.of("--policy", policy, "--at", "2027-01-01T00:00:00Z"),
            "check: --at judges API keys' expiry in the diff: give --against OLD too\n"),
        Arguments.of(List.of("--policy", policy, "--against", policy, "--at", "tomorrow"), time),
        Arguments.of(List.of("--policy", policy, "--against", policy, "--at",
            "2027-01-01T00:00Z"), time),
        Arguments.of(List.of("--policy", policy, "--against", policy, "--at",
            "2027-01-01T00:00:00"), time),
        Arguments.of(List.of("--policy", policy, "--against", policy, "--at",
            "2027-02-30T00:00:00Z"), time));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void aBadOptionIsAUsageError(List<String> options, String message) {
    List<String> argv = new ArrayList<>(List.of("check"));
    argv.addAll(options);
    CliRun run = CliRun.of(argv.toArray(String[]::new));

    assertEquals(ExitCode.USAGE, run.code(), run.out() + run.err());
    assertTrue(run.err().startsWith(message), run.err());
    assertEquals("", run.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-06-01T10:00:00Z", "2026-06-01t10:00:00z",
      "2026-06-01T12:00:00+02:00", "2026-06-01T10:00:00.000Z"})
  void atTakesRfc3339Times(String at) {
    String policy = CliRun.resource("policy-ok.yaml");
    CliRun run = CliRun.of("check", "--policy", policy, "--against", policy, "--at", at);

    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().contains("(API keys' expiry judged at 2026-06-01T10:00:00Z):"),
        run.out());
  }

}
