package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir Path dir;

  private static String ok() throws Exception {
    return Files.readString(Path.of(CliRun.resource("policy-ok.yaml")), StandardCharsets.UTF_8);
  }

  /** policy-ok.yaml cut right after {@code api_keys:}, as a non-atomic write leaves it. */
  private static String cutAfterApiKeys() throws Exception {
    String whole = ok();
    return whole.substring(0, whole.indexOf("api_keys:\n") + "api_keys:\n".length());
  }

  private String file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
  }

  @Test
  void aTruncatedFileAloneIsValidButShowsItsEmptySections() throws Exception {
    CliRun run = CliRun.of("check", "--policy", file("cut.yaml", cutAfterApiKeys()));
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().contains("principals: 4\n"), run.out());
    assertTrue(run.out().contains(
        "api keys: 0 (none: every call would be refused UNAUTHENTICATED)"), run.out());
    assertTrue(run.out().contains("removal check: not run (nothing to compare with; --against"
        + " CURRENT compares with the policy in force)"), run.out());
  }

  @Test
  void againstTheCurrentPolicyAMassRemovalFailsAndSaysWhatGoes() throws Exception {
    String current = CliRun.resource("policy-ok.yaml");
    CliRun run = CliRun.of("check", "--policy", file("cut.yaml", cutAfterApiKeys()),
        "--against", current);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out());
    assertTrue(run.out().contains("policy OK: "), run.out());
    assertTrue(run.err().contains("removal check FAILED against " + current + " (version "),
        run.err());
    assertTrue(run.err().contains("this version removes 0 of 4 principals and 2 of 2 API keys in"
        + " force; more than half"), run.err());
    assertTrue(run.err().contains("'confirm_removal: {principals: 4, api_keys: 0}'"), run.err());
    assertTrue(run.err().contains("  API keys removed: key-alice, key-old\n"), run.err());
    assertFalse(run.err().contains("principals removed"), run.err());
  }

  @Test
  void againstTheCurrentPolicyASmallChangePasses() throws Exception {
    String fewer = ok().replace("  - id: owner@example.com\n    role: account_owner\n", "");
    CliRun run = CliRun.of("check", "--policy", file("fewer.yaml", fewer),
        "--against", CliRun.resource("policy-ok.yaml"));
    // the guard allows it, but a principal is lost: a reviewer's exit code
    assertEquals(ExitCode.LOSS, run.code(), run.err());
    assertTrue(run.out().contains("owner@example.com (user, removed)\n"), run.out());
    assertTrue(run.out().contains("removal check OK against "), run.out());
    assertTrue(run.out().contains("removes 1 of 4 principals and 0 of 2 API keys in force:"
        + " allowed"), run.out());
    assertTrue(run.out().contains("  principals removed: owner@example.com\n"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void againstTheCurrentPolicyAConfirmedRemovalPasses() throws Exception {
    String confirmed = cutAfterApiKeys().replace("groups:\n",
        "confirm_removal: {principals: 4, api_keys: 0}\ngroups:\n");
    CliRun run = CliRun.of("check", "--policy", file("confirmed.yaml", confirmed),
        "--against", CliRun.resource("policy-ok.yaml"));
    assertEquals(ExitCode.LOSS, run.code(), run.err());
    assertTrue(run.out().contains("  - API key key-alice removed\n"), run.out());
    assertTrue(run.out().contains("confirm_removal: matches (4 principals, 0 API keys); remove it"
        + " once this version is in force"), run.out());
    assertTrue(run.out().contains("allowed because the file confirms it"), run.out());
  }

  @Test
  void anInvalidCurrentPolicyIsAPolicyError() throws Exception {
    String bad = CliRun.resource("policy-bad.yaml");
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"),
        "--against", bad);
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("--against: policy rejected: "), run.err());
    assertTrue(run.err().contains(bad + ":5: users[1].role: unknown role"), run.err());
    assertTrue(run.err().contains("--against " + bad + " is not a valid policy"), run.err());
  }

  @Test
  void againstNeedsAValue() {
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"), "--against");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("Missing required parameter for option '--against'"),
        run.err());
  }

  @Test
  void validPolicyPrintsSummary() {
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"));
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().contains("version: "), run.out());
    assertTrue(run.out().contains("developer: 1"), run.out());
    assertTrue(run.out().contains("account_owner: 1"), run.out());
    assertTrue(run.out().contains("namespace_scoped: 1"), run.out());
    assertTrue(run.out().contains("groups: 1"), run.out());
    assertTrue(run.out().contains("api keys: 2"), run.out());
    assertTrue(run.out().contains("namespaces: 2"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void rejectedPolicyListsEveryErrorWithFileLineAndField() {
    String file = CliRun.resource("policy-bad.yaml");
    CliRun run = CliRun.of("check", "--policy", file);
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertEquals("", run.out());
    assertTrue(run.err().contains(file + ":5: users[1].role: unknown role 'superuser'"), run.err());
    assertTrue(run.err().contains(file + ":6: users[1].groups[0]: unknown group"), run.err());
    assertTrue(run.err().contains(file + ":9: api_keys[0].owner: "), run.err());
    assertTrue(run.err().contains(file + ":10: api_keys[0].sha256: "), run.err());
  }

  @Test
  void missingFileSaysSo() {
    CliRun run = CliRun.of("check", "--policy", "/no/such/policy.yaml");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertEquals("cannot read the policy file /no/such/policy.yaml: no such file (its folder"
        + " /no/such does not exist either)\n", run.err());
  }

  @Test
  void aDirectoryIsReadAsOnePolicy() throws Exception {
    Path policy = PolicyDirs.split(ok(), dir.resolve("policy"));
    CliRun run = CliRun.of("check", "--policy", policy.toString());
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().startsWith("policy OK: " + policy + "\nversion: "), run.out());
    assertTrue(run.out().contains("principals: 4\n"), run.out());
    assertTrue(run.out().contains("groups: 1\n"), run.out());
    assertTrue(run.out().contains("api keys: 2\n"), run.out());
    assertTrue(run.out().contains("namespaces: 2\n"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void aConfigMapMountIsReadThroughItsDataLink() throws Exception {
    Path plain = PolicyDirs.split(ok(), dir.resolve("plain"));
    Path mount = Files.createDirectories(dir.resolve("mount"));
    Path version = PolicyDirs.split(ok(), mount.resolve("..2026_12_01_19_00_00.1"));
    Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
    Files.createSymbolicLink(mount.resolve("a-groups.yaml"), Path.of("..data", "a-groups.yaml"));
    // a file beside ..data, not in the ConfigMap's folder, is not part of the policy
    Files.writeString(mount.resolve("stray.yaml"), "users: [{id: stray, role: boss}]\n");

    CliRun viaMount = CliRun.of("check", "--policy", mount.toString());
    CliRun viaPlain = CliRun.of("check", "--policy", plain.toString());

    assertEquals(ExitCode.OK, viaMount.code(), viaMount.err());
    assertEquals(version(viaPlain), version(viaMount)); // same files, same version
  }

  @Test
  void aDirectorysErrorsNameTheirFiles() throws Exception {
    Path policy = PolicyDirs.split(ok().replace("role: developer", "role: boss"),
        dir.resolve("policy"));
    CliRun run = CliRun.of("check", "--policy", policy.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertEquals("", run.out());
    assertEquals("policy rejected: 1 error\n" + policy.resolve("b-people.yaml") + ":3:"
        + " users[0].role: unknown role 'boss' (expected one of account_owner, global_admin,"
        + " developer, finance_admin, read_only)\n", run.err());
  }

  @Test
  void anIdInTwoFilesOfADirectoryIsRejected() throws Exception {
    Path policy = PolicyDirs.split(ok(), dir.resolve("policy"));
    Files.writeString(policy.resolve("d-more.yaml"), "service_accounts:\n"
        + "  - {id: ci-bot, role: read_only}\n");
    CliRun run = CliRun.of("check", "--policy", policy.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains(policy.resolve("d-more.yaml") + ":2: service_accounts[0].id:"
        + " duplicate principal id 'ci-bot'"), run.err());
    assertTrue(run.err().contains("first defined at " + policy.resolve("b-people.yaml") + ":"),
        run.err());
  }

  @Test
  void anEmptyDirectorySaysItHoldsNoPolicyFile() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("policy.yaml.bak"), "users: []\n");
    CliRun run = CliRun.of("check", "--policy", empty.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertEquals("", run.out());
    assertEquals("policy rejected: 1 error\n" + empty + ": no policy file: expected at least one"
        + " *.yaml or *.yml file\n", run.err());
  }

  @Test
  void aMountWhoseDataLinkLeadsNowhereSaysSo() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("mount"));
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_gone"));
    CliRun run = CliRun.of("check", "--policy", mount.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().startsWith("cannot read the policy directory " + mount + ": "),
        run.err());
  }

  @Test
  void aDirectoryAgainstADirectoryPrintsTheDiff() throws Exception {
    Path current = PolicyDirs.split(ok(), dir.resolve("current"));
    Path fewer = PolicyDirs.split(
        ok().replace("  - id: owner@example.com\n    role: account_owner\n", ""),
        dir.resolve("fewer"));

    CliRun same = CliRun.of("check", "--policy", current.toString(),
        "--against", PolicyDirs.split(ok(), dir.resolve("copy")).toString());
    CliRun loss = CliRun.of("check", "--policy", fewer.toString(),
        "--against", current.toString());

    assertEquals(ExitCode.OK, same.code(), same.out() + same.err());
    assertTrue(same.out().contains("removal check OK against "), same.out());
    assertEquals(ExitCode.LOSS, loss.code(), loss.out() + loss.err());
    assertTrue(loss.out().contains("changes from " + current + " to " + fewer), loss.out());
    assertTrue(loss.out().contains("owner@example.com (user, removed)\n"), loss.out());
    assertEquals("", loss.err());
  }

  @Test
  void anInvalidDirectoryToCompareWithIsAPolicyError() throws Exception {
    Path current = PolicyDirs.split(ok().replace("groups: [auditors]", "groups: [audit]"),
        dir.resolve("current"));
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"),
        "--against", current.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("--against: policy rejected: 1 error\n"
        + current.resolve("b-people.yaml") + ":"), run.err());
    assertTrue(run.err().contains("--against " + current + " is not a valid policy"), run.err());
  }

  @Test
  void aMissingPathToCompareWithSaysWhichSide() {
    CliRun run = CliRun.of("check", "--policy", CliRun.resource("policy-ok.yaml"),
        "--against", "/no/such/policy");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().startsWith("--against: cannot read the policy file /no/such/policy:"
        + " no such file"), run.err());
  }

  private static String version(CliRun run) {
    return run.lines().stream().filter(line -> line.startsWith("version: ")).findFirst()
        .orElseThrow(() -> new AssertionError(run.out() + run.err()));
  }

  @Test
  void relativeMissingFileSaysWhereItWasLookedFor() {
    CliRun run = CliRun.of("check", "--policy", "no-such-policy.yaml");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("no-such-policy.yaml (looked for at "
        + Path.of("no-such-policy.yaml").toAbsolutePath() + "): no such file"), run.err());
  }

  @Test
  void missingPolicyOptionIsAUsageError() {
    CliRun run = CliRun.of("check");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("check: Missing required option: '--policy=FILE'"), run.err());
  }
}
