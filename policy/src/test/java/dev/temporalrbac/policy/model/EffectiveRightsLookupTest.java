package dev.temporalrbac.policy.model;

import static dev.temporalrbac.policy.model.NamespacePermission.ADMIN;
import static dev.temporalrbac.policy.model.NamespacePermission.READ;
import static dev.temporalrbac.policy.model.NamespacePermission.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Fixtures;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Looking a namespace up in computed rights: many grants (every granted name found, by an equal
 * string too, and no other name), a token's everywhere grant on top of explicit ones, admins, and
 * creator grants. Each test loads its own policy, so rights are computed by the code under test
 * rather than read from a cache filled earlier.
 */
class EffectiveRightsLookupTest {
  private static final NamespacePermission[] CYCLE = {READ, WRITE, ADMIN};

  private static EffectiveRights rights(PolicySnapshot policy, String id) {
    EffectiveRights rights = policy.rightsOf(id);
    assertNotNull(rights, id + " is in the policy");
    return rights;
  }

  @Test
  void everyGrantIsFoundAndNoOtherName() {
    Map<String, NamespacePermission> expected = new HashMap<>();
    String[] grants = new String[12];
    for (int i = 0; i < grants.length; i++) {
      expected.put("team-" + i, CYCLE[i % 3]);
      grants[i] = "team-" + i + "=" + CYCLE[i % 3].yamlName();
    }
    PolicySnapshot policy = Fixtures.policy().user("many", "read_only", grants).build();
    EffectiveRights rights = rights(policy, "many");

    assertEquals(expected, rights.grants());
    for (Map.Entry<String, NamespacePermission> grant : expected.entrySet()) {
      // an equal string that is not the policy's instance
      String lookedUp = new String(grant.getKey().toCharArray());
      assertEquals(grant.getValue(), rights.permissionOn(lookedUp), grant.getKey());
    }
    for (int i = 0; i < 200; i++) {
      assertNull(rights.permissionOn("other-" + i), "other-" + i);
    }
    assertNull(rights.everywhere());
    assertFalse(rights.isAdminEverywhere());
  }

  @Test
  void oneGrantIsFoundAndNoOtherName() {
    PolicySnapshot policy = Fixtures.policy().user("one", "developer", "only=write").build();
    EffectiveRights rights = rights(policy, "one");
    assertEquals(WRITE, rights.permissionOn("only"));
    for (int i = 0; i < 50; i++) {
      assertNull(rights.permissionOn("x" + i), "x" + i);
    }
  }

  @Test
  void adminsHoldAdminEverywhere() {
    PolicySnapshot policy = Fixtures.policy()
        .user("ga", "global_admin").user("ao", "account_owner").user("dev", "developer", "a=read")
        .build();
    for (String id : List.of("ga", "ao")) {
      EffectiveRights rights = rights(policy, id);
      assertTrue(rights.isAdminEverywhere(), id);
      assertEquals(ADMIN, rights.everywhere(), id);
      assertEquals(ADMIN, rights.permissionOn("never-listed"), id);
    }
    EffectiveRights dev = rights(policy, "dev");
    assertFalse(dev.isAdminEverywhere());
    assertNull(dev.everywhere());
    assertEquals(READ, dev.permissionOn("a"));
    assertEquals("global_admin", rights(policy, "ga").roleLabel());
    assertEquals("account_owner", rights(policy, "ao").roleLabel());
  }

  @Test
  void aTokensEverywhereGrantAddsToExplicitGrants() {
    PolicySnapshot policy = Fixtures.policy().user("viewer", "read_only", "ns1=admin").build();
    ClaimedRights claims = new ClaimedRights("token-user", List.of(), Map.of("ns2", WRITE), READ,
        false);
    EffectiveRights rights = policy.rightsOf(claims, AccountRole.READ_ONLY);
    assertNotNull(rights);
    assertEquals(READ, rights.everywhere());
    assertEquals(WRITE, rights.permissionOn("ns2"), "explicit grant above the everywhere one");
    assertEquals(READ, rights.permissionOn("unlisted"), "the everywhere grant");
    assertFalse(rights.isAdminEverywhere());

    ClaimedRights onlyEverywhere =
        new ClaimedRights("token-user", List.of(), Map.of(), WRITE, false);
    EffectiveRights bare = policy.rightsOf(onlyEverywhere, AccountRole.READ_ONLY);
    assertEquals(Map.of(), bare.grants());
    assertEquals(WRITE, bare.permissionOn("anything"));
    assertEquals(WRITE, bare.everywhere());

    ClaimedRights nothing = new ClaimedRights("token-user", List.of(), Map.of(), null, false);
    EffectiveRights none = policy.rightsOf(nothing, AccountRole.READ_ONLY);
    assertNull(none.permissionOn("anything"));
    assertNull(none.everywhere());
  }

  @Test
  void aSystemAdminClaimMakesAGlobalAdmin() {
    PolicySnapshot policy = Fixtures.policy().user("viewer", "read_only").build();
    ClaimedRights claims = new ClaimedRights("viewer", List.of(), Map.of(), null, true);
    EffectiveRights rights = policy.rightsOf(claims, null);
    assertTrue(rights.isAdminEverywhere());
    assertEquals(EnumSet.of(AccountRole.READ_ONLY, AccountRole.GLOBAL_ADMIN), rights.roles());
    assertEquals("global_admin", rights.roleLabel());
    assertEquals(ADMIN, rights.permissionOn("anything"));
  }

  @Test
  void onlyDevelopersHoldAdminOnWhatTheyCreated() {
    PolicySnapshot policy = Fixtures.policy()
        .group("devs", "developer")
        .user("dev", "developer")
        .user("fin", "finance_admin")
        .user("ro", "read_only")
        .member("ro-dev", "read_only", List.of("devs"))
        .namespace("by-dev", null, "dev", true)
        .namespace("revoked", null, "dev", false)
        .namespace("by-fin", null, "fin", true)
        .namespace("by-ro", null, "ro", true)
        .namespace("by-ro-dev", null, "ro-dev", true)
        .build();
    assertEquals(Map.of("by-dev", ADMIN), rights(policy, "dev").grants());
    assertEquals(Map.of(), rights(policy, "fin").grants());
    assertNull(rights(policy, "fin").permissionOn("by-fin"));
    assertEquals(Map.of(), rights(policy, "ro").grants());
    assertEquals(Map.of("by-ro-dev", ADMIN), rights(policy, "ro-dev").grants(),
        "a developer by group holds the creator grant too");
  }

  @Test
  void aNamespaceScopedAccountHoldsItsOneGrantAndNoRole() {
    PolicySnapshot policy = Fixtures.policy().scopedServiceAccount("sa", "ns1", "write").build();
    EffectiveRights rights = rights(policy, "sa");
    assertEquals(Set.of(), rights.roles());
    assertEquals("namespace_scoped", rights.roleLabel());
    assertEquals("service_account", rights.typeLabel());
    assertEquals("sa", rights.principalId());
    assertEquals(WRITE, rights.permissionOn("ns1"));
    assertNull(rights.permissionOn("ns2"));
    assertFalse(rights.holdsAnyRole(EnumSet.allOf(AccountRole.class)));
  }

  @Test
  void holdsAnyRoleLooksAtEveryRoleHeld() {
    PolicySnapshot policy = Fixtures.policy()
        .group("fin", "finance_admin")
        .member("ro-fin", "read_only", List.of("fin"))
        .build();
    EffectiveRights rights = rights(policy, "ro-fin");
    assertTrue(rights.holdsAnyRole(EnumSet.of(AccountRole.FINANCE_ADMIN)));
    assertTrue(rights.holdsAnyRole(EnumSet.of(AccountRole.READ_ONLY)));
    assertFalse(rights.holdsAnyRole(EnumSet.of(AccountRole.DEVELOPER, AccountRole.GLOBAL_ADMIN)));
    assertEquals("finance_admin", rights.roleLabel());
    assertEquals("user", rights.typeLabel());
  }
}
