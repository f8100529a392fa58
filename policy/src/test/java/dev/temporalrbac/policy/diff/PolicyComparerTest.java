package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole comparison: principals added and removed, order, counts, and the account methods an
 * account-role change names (expected from PERMISSIONS.md §1 and §3, not from the rule table).
 */
class PolicyComparerTest {
  private static final String BEFORE = """
      users:
        - id: zoe
          role: developer
          namespaces: {payments: write}
        - id: alice
          role: read_only
      service_accounts:
        - id: ci
          namespace_scoped: {namespace: payments, permission: write}
      api_keys:
        - id: zoe-key
          owner: zoe
          sha256: 1111111111111111111111111111111111111111111111111111111111111111
      """;

  @Test
  void identicalPoliciesDifferInNothing() {
    PolicyDiff diff = DiffFixture.diff(BEFORE, BEFORE);

    assertEquals(List.of(), diff.principals());
    assertFalse(diff.losesSomething());
    assertEquals(0, diff.gainCount() + diff.lossCount() + diff.changeCount());
    assertEquals(DiffFixture.NOW, diff.at());
  }

  @Test
  void aRemovedPrincipalLosesEverythingItHeld() {
    String after = BEFORE.replace("  - id: zoe\n    role: developer\n"
        + "    namespaces: {payments: write}\n", "")
        .replace("api_keys:\n  - id: zoe-key\n    owner: zoe\n    sha256: " + "1".repeat(64)
            + "\n", "");

    PrincipalDiff zoe = DiffFixture.of(DiffFixture.diff(BEFORE, after), "zoe");

    assertEquals(PrincipalDiff.Status.REMOVED, zoe.status());
    assertEquals("user", zoe.type());
    assertEquals(List.of("- principal: user -> none", "- account: developer -> none",
        "- namespace payments: write -> none", "- api_key zoe-key state: usable -> none"),
        DiffFixture.lines(zoe));
    assertEquals("user removed, account role developer: everything it held is lost",
        zoe.losses().get(0).text());
  }

  @Test
  void anAddedPrincipalGainsEverythingItHolds() {
    String after = BEFORE.replace("service_accounts:\n", "service_accounts:\n"
        + "  - id: deployer\n    role: developer\n    namespaces: {orders: admin}\n");

    PolicyDiff diff = DiffFixture.diff(BEFORE, after);
    PrincipalDiff deployer = DiffFixture.of(diff, "deployer");

    assertEquals(PrincipalDiff.Status.ADDED, deployer.status());
    assertEquals("service_account", deployer.type());
    assertEquals(List.of("+ principal: none -> service_account", "+ account: none -> developer",
        "+ namespace orders: none -> admin"), DiffFixture.lines(deployer));
    assertTrue(deployer.gains().get(1).methods().contains("CloudService/CreateNamespace"),
        deployer.gains().get(1).methods().toString());
    assertFalse(diff.losesSomething());
    assertEquals(3, diff.gainCount());
  }

  @Test
  void principalsAreOrderedById() {
    String after = BEFORE.replace("payments: write}\n  - id: alice\n    role: read_only",
        "payments: read}\n  - id: alice\n    role: developer")
        .replace("permission: write", "permission: read");

    PolicyDiff diff = DiffFixture.diff(BEFORE, after);

    assertEquals(List.of("alice", "ci", "zoe"),
        diff.principals().stream().map(PrincipalDiff::id).toList());
    assertEquals(1, diff.gainCount());
    assertEquals(2, diff.lossCount());
    assertEquals(3, diff.changeCount());
  }

  @Test
  void developerToFinanceAdminNamesWhatComesAndGoes() {
    String before = "users:\n  - id: alice\n    role: developer\n";
    PrincipalDiff alice = DiffFixture.of(
        DiffFixture.diff(before, before.replace("developer", "finance_admin")), "alice");

    Change gain = alice.gains().get(0);
    Change loss = alice.losses().get(0);
    // PERMISSIONS.md §1: GetUsage is Finance Admin's, not Developer's; §3: billing reports too
    assertTrue(gain.methods().containsAll(List.of("CloudService/GetUsage",
        "CloudService/CreateBillingReport", "CloudService/GetBillingReport")), gain.methods()
        .toString());
    // the three-tick account rows: Developer, not Finance Admin
    assertTrue(loss.methods().containsAll(List.of("CloudService/CreateNamespace",
        "CloudService/CreateNexusEndpoint", "CloudService/GetConnectivityRules")),
        loss.methods().toString());
    assertFalse(gain.methods().contains("CloudService/GetAccount"), "every role has it");
    assertFalse(loss.methods().contains("CloudService/GetAccount"), "every role has it");
    assertTrue(loss.text().startsWith("account role developer -> finance_admin: may no longer"
        + " call CloudService/CreateNamespace, "), loss.text());
    assertTrue(loss.text().matches(".* and \\d+ more"), loss.text());
  }

  @Test
  void anAdminNowNeededForTheProxysOwnApiIsListed() {
    String before = "users:\n  - id: alice\n    role: global_admin\n";
    PrincipalDiff alice = DiffFixture.of(
        DiffFixture.diff(before, before.replace("global_admin", "developer")), "alice");

    assertTrue(alice.losses().get(0).methods().containsAll(List.of("CloudService/CreateUser",
        "PolicyAdmin/Explain")), alice.losses().get(0).methods().toString());
    assertEquals("every namespace: admin -> none", alice.losses().get(1).text());
  }

  @Test
  void aUserBecomingAServiceAccountIsAChangeOfType() {
    String before = "users:\n  - id: alice\n    role: developer\n";
    String after = "service_accounts:\n  - id: alice\n    role: developer\n";

    PrincipalDiff alice = DiffFixture.of(DiffFixture.diff(before, after), "alice");

    assertEquals(List.of("~ principal: user -> service_account"), DiffFixture.lines(alice));
    assertEquals("service_account", alice.type());
    assertEquals(PrincipalDiff.Status.CHANGED, alice.status());
  }
}
