package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --policy NEW --against OLD}: the per-principal diff, its JSON and exit codes. */
class CheckDiffTest {
  private static final String KEY_SHA = "ab".repeat(32);
  private static final String OLD = """
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
        "summary: 2 principals differ: 1 gain, 2 losses, 4 other changes; something is lost:"
            + " review before deploying (exit 3)"), lines.subList(3, lines.size()));
  }

  @Test
  void onlyGainsExitZero() throws Exception {
    String more = file("new.yaml", OLD.replace("namespaces: {payments: write}",
        "namespaces: {payments: admin}"));
    CliRun run = CliRun.of("check", "--policy", more, "--against", file("old.yaml", OLD));

    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("  + namespace payments: write -> admin\n"), run.out());
    assertTrue(run.out().contains("summary: 1 principal differs: 1 gain, 0 losses, 1 other"
        + " change; nothing is lost\n"), run.out());
  }

  @Test
  void theSamePolicyDiffersInNothing() throws Exception {
    String old = file("old.yaml", OLD);
    CliRun run = CliRun.of("check", "--policy", old, "--against", old);

    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().endsWith("summary: nothing differs for any principal\n"), run.out());
  }

  @Test
  void jsonHoldsTheSameDiff() throws Exception {
    String old = file("old.yaml", OLD);
    String changed = changed();
    CliRun run = CliRun.of("check", "--policy", changed, "--against", old, "--format", "json",
        "--at", "2026-06-01T12:00:00+02:00");

    assertEquals(ExitCode.LOSS, run.code(), run.err());
    assertEquals("", run.err());
    assertEquals(1, run.lines().size(), "one JSON object, nothing else: " + run.out());
    Map<String, Object> json = JsonTree.object(JsonTree.parse(run.out()));
    assertEquals(changed, json.get("policy"));
    assertEquals(old, json.get("against"));
    assertFalse(((String) json.get("policy_version")).isBlank(), json.toString());
    assertFalse(json.get("policy_version").equals(json.get("against_version")), json.toString());
    assertEquals("2026-06-01T10:00:00Z", json.get("at"));
    assertEquals(true, JsonTree.object(json.get("removal_check")).get("ok"));
    assertEquals(1L, json.get("gains"));
    assertEquals(2L, json.get("losses"));
    assertEquals(4L, json.get("changes"));
    assertEquals(true, json.get("loses_something"));
    List<Object> principals = JsonTree.array(json.get("principals"));
    assertEquals(2, principals.size());
    Map<String, Object> alice = JsonTree.object(principals.get(0));
    assertEquals("alice@example.com", alice.get("id"));
    assertEquals("user", alice.get("type"));
    assertEquals("changed", alice.get("status"));
    Map<String, Object> gain = JsonTree.object(JsonTree.array(alice.get("gains")).get(0));
    assertEquals("account", gain.get("kind"));
    assertEquals("developer", gain.get("from"));
    assertEquals("finance_admin", gain.get("to"));
    assertTrue(JsonTree.array(gain.get("methods")).contains("CloudService/GetUsage"), gain
        .toString());
    Map<String, Object> lowered = JsonTree.object(JsonTree.array(alice.get("losses")).get(1));
    assertEquals(Map.of("kind", "namespace", "subject", "payments", "from", "write", "to", "read",
        "text", "namespace payments: write -> read"), lowered);
    Map<String, Object> bob = JsonTree.object(principals.get(1));
    assertEquals(List.of(), bob.get("gains"));
    assertEquals(List.of(), bob.get("losses"));
    Map<String, Object> grant = JsonTree.object(JsonTree.array(bob.get("changes")).get(0));
    assertEquals("grant", grant.get("kind"));
    assertTrue(grant.containsKey("to"), grant.toString());
    assertEquals(null, grant.get("to"));
  }

  @Test
  void aKeyExpiredAtTheGivenTimeIsALoss() throws Exception {
    String expiring = file("new.yaml", OLD.replace("sha256: " + KEY_SHA,
        "sha256: " + KEY_SHA + "\n    expires: 2027-01-01T00:00:00Z"));
    String old = file("old.yaml", OLD);

    CliRun before = CliRun.of("check", "--policy", expiring, "--against", old, "--at",
        "2026-12-31T00:00:00Z");
    CliRun after = CliRun.of("check", "--policy", expiring, "--against", old, "--at",
        "2027-01-01T00:00:00Z");

    assertEquals(ExitCode.OK, before.code(), before.out());
    assertTrue(before.out().contains("  ~ API key key-alice now expires at 2027-01-01T00:00:00Z"
        + " (it had no expiry)\n"), before.out());
    assertEquals(ExitCode.LOSS, after.code(), after.out());
    assertTrue(after.out().contains("  - API key key-alice usable -> expired at"
        + " 2027-01-01T00:00:00Z\n"), after.out());
    assertFalse(after.out().contains(KEY_SHA), "a key's digest is never printed");
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

  @Test
  void aRefusedRemovalIsAPolicyErrorEvenInJson() throws Exception {
    String empty = file("new.yaml", "users: []\n");
    CliRun run = CliRun.of("check", "--policy", empty, "--against", file("old.yaml", OLD),
        "--format", "json");

    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().startsWith("removal check FAILED against "), run.err());
    Map<String, Object> json = JsonTree.object(JsonTree.parse(run.out()));
    assertEquals(false, JsonTree.object(json.get("removal_check")).get("ok"));
    List<Object> principals = JsonTree.array(json.get("principals"));
    assertEquals("removed", JsonTree.object(principals.get(0)).get("status"));
  }

  @Test
  void jsonNeedsAgainst() {
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"), "--format",
        "json");

    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().startsWith("check: --format json prints the diff: give --against OLD"
        + " too\n"), run.err());
  }

  @Test
  void anUnknownFormatOrTimeIsAUsageError() {
    String policy = CliRun.resource("policy-ok.yaml");
    CliRun format = CliRun.of("check", "--policy", policy, "--against", policy, "--format",
        "yaml");
    CliRun at = CliRun.of("check", "--policy", policy, "--against", policy, "--at", "tomorrow");

    assertEquals(ExitCode.USAGE, format.code());
    assertTrue(format.err().startsWith("check: --format: expected text or json\n"),
        format.err());
    assertEquals(ExitCode.USAGE, at.code());
    assertTrue(at.err().startsWith("check: --at: expected an RFC 3339 time such as"
        + " 2027-01-01T00:00:00Z\n"), at.err());
    assertEquals("", at.out());
  }
}
