package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckCommandTest {
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
  void missingFileIsAPolicyError() {
    CliRun run = CliRun.of("check", "--policy", "/no/such/policy.yaml");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("/no/such/policy.yaml"), run.err());
  }

  @Test
  void missingPolicyOptionIsAUsageError() {
    CliRun run = CliRun.of("check");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("--policy is required"), run.err());
  }
}
