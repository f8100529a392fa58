package dev.temporalrbac.policy.model;

import static dev.temporalrbac.policy.model.AccountRole.ACCOUNT_OWNER;
import static dev.temporalrbac.policy.model.AccountRole.DEVELOPER;
import static dev.temporalrbac.policy.model.AccountRole.FINANCE_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.GLOBAL_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.READ_ONLY;
import static dev.temporalrbac.policy.model.NamespacePermission.ADMIN;
import static dev.temporalrbac.policy.model.NamespacePermission.READ;
import static dev.temporalrbac.policy.model.NamespacePermission.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Fixtures;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PERMISSIONS.md §2: what a principal holds once groups and creator grants are folded in. */
class EffectiveRightsTest {
  private static final PolicySnapshot POLICY = Fixtures.policy()
      .group("g-dev", "developer", "ns1=write", "ns2=read")
      .group("g-fin", "finance_admin", "ns2=admin", "ns3=read")
      .group("g-ga", "global_admin")
      .member("multi", "read_only", List.of("g-dev", "g-fin"), "ns1=read", "ns4=admin")
      .member("keeps-admin", "read_only", List.of("g-dev"), "ns1=admin")
      .member("promoted", "read_only", List.of("g-ga"))
      .member("dev-by-group", "read_only", List.of("g-dev"))
      .user("creator", "developer", "ns5=read")
      .user("fin-creator", "finance_admin")
      .user("ro-creator", "read_only")
      .user("ga", "global_admin")
      .user("ao", "account_owner")
      .serviceAccount("sa-dev", "developer", "ns1=read")
      .scopedServiceAccount("sa-scoped", "ns1", "write")
      .namespace("ns5", "id-5", "creator", null)
      .namespace("ns6", null, "creator", true)
      .namespace("ns7", null, "creator", false)
      .namespace("ns8", null, "fin-creator", true)
      .namespace("ns9", null, "ro-creator", null)
      .namespace("ns10", null, "dev-by-group", null)
      .build();

  private static EffectiveRights rights(String id) {
    EffectiveRights rights = POLICY.rightsOf(id);
    assertTrue(rights != null, id + " is in the policy");
    return rights;
  }

  @Test
  void groupsAddTheirRolesAndGrantsTakingTheStrongestPermission() {
    EffectiveRights multi = rights("multi");
    assertEquals(EnumSet.of(READ_ONLY, DEVELOPER, FINANCE_ADMIN), multi.roles());
    assertEquals("developer", multi.roleLabel());
    assertEquals(Map.of("ns1", WRITE, "ns2", ADMIN, "ns3", READ, "ns4", ADMIN), multi.grants());
    assertEquals(WRITE, multi.permissionOn("ns1"));
    assertNull(multi.permissionOn("ns9"));
    assertFalse(multi.isAdminEverywhere());
    assertTrue(multi.holdsAnyRole(Set.of(FINANCE_ADMIN)));
    assertFalse(multi.holdsAnyRole(Set.of(GLOBAL_ADMIN, ACCOUNT_OWNER)));
  }

  @Test
  void aWeakerGroupGrantDoesNotLowerTheOwnGrant() {
    assertEquals(ADMIN, rights("keeps-admin").permissionOn("ns1"));
    assertEquals(READ, rights("keeps-admin").permissionOn("ns2"));
  }

  @Test
  void aGlobalAdminGroupMakesTheMemberAdminEverywhere() {
    EffectiveRights promoted = rights("promoted");
    assertTrue(promoted.isAdminEverywhere());
    assertEquals("global_admin", promoted.roleLabel());
    assertEquals(ADMIN, promoted.permissionOn("any-namespace-at-all"));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
      "creator, ns5, admin", // created it; an explicit read grant is raised to admin
      "creator, ns6, admin",
      "creator, ns7, ", // creator_admin: false revokes the grant
      "creator, ns8, ",
      "fin-creator, ns8, ", // the creator grant is for developers only
      "ro-creator, ns9, ",
      "dev-by-group, ns10, admin", // a developer through its group
      "dev-by-group, ns1, write"})
  void creatorGrants(String who, String namespace, String expected) {
    NamespacePermission want = expected == null ? null : NamespacePermission.parse(expected).get();
    assertEquals(want, rights(who).permissionOn(namespace));
    assertEquals(want, rights(who).grants().get(namespace));
  }

  @ParameterizedTest
  @CsvSource({"ga, global_admin", "ao, account_owner"})
  void globalAdminAndAccountOwnerAreAdminEverywhere(String id, String role) {
    EffectiveRights rights = rights(id);
    assertTrue(rights.isAdminEverywhere());
    assertEquals(role, rights.roleLabel());
    for (String namespace : List.of("ns1", "ns7", "never-mentioned", "")) {
      assertEquals(ADMIN, rights.permissionOn(namespace), namespace);
    }
    assertTrue(rights.holdsAnyRole(Set.of(AccountRole.parse(role).get())));
  }

  @Test
  void accountScopedServiceAccountHoldsItsRoleAndGrants() {
    EffectiveRights rights = rights("sa-dev");
    assertEquals(PrincipalType.SERVICE_ACCOUNT, rights.principal().type());
    assertEquals(EnumSet.of(DEVELOPER), rights.roles());
    assertEquals(Map.of("ns1", READ), rights.grants());
  }

  @Test
  void namespaceScopedServiceAccountHoldsExactlyOneGrantAndNoRole() {
    EffectiveRights rights = rights("sa-scoped");
    assertTrue(rights.principal().isNamespaceScoped());
    assertEquals(Map.of("ns1", WRITE), rights.grants());
    assertEquals(Set.of(), rights.roles());
    assertEquals("namespace_scoped", rights.roleLabel());
    assertFalse(rights.isAdminEverywhere());
    assertEquals(WRITE, rights.permissionOn("ns1"));
    assertNull(rights.permissionOn("ns2"));
    for (AccountRole role : AccountRole.values()) {
      assertFalse(rights.holdsAnyRole(Set.of(role)), role.toString());
    }
  }

  @Test
  void unknownPrincipalHasNoRights() {
    assertNull(POLICY.rightsOf("nobody"));
    assertNull(POLICY.rightsOf(""));
  }

  @Test
  void theSnapshotCachesRightsPerPrincipal() {
    EffectiveRights first = POLICY.rightsOf("multi");
    assertSame(first, POLICY.rightsOf("multi"));
    assertNotSame(first, POLICY.rightsOf("keeps-admin"));
    assertSame(rights("sa-scoped"), rights("sa-scoped"));
    assertEquals("multi", first.principal().id());
  }

  @Test
  void aNewSnapshotHasItsOwnVersionAndRights() {
    PolicySnapshot same = Fixtures.policy().user("u", "developer", "ns1=read").build();
    PolicySnapshot sameAgain = Fixtures.policy().user("u", "developer", "ns1=read").build();
    PolicySnapshot changed = Fixtures.policy().user("u", "developer", "ns1=write").build();

    assertEquals(same.version(), sameAgain.version(), "version is a content hash");
    assertNotEquals(same.version(), changed.version());
    assertNotEquals(POLICY.version(), same.version());
    assertNotSame(same.rightsOf("u"), sameAgain.rightsOf("u"), "caches are per snapshot");
    assertEquals(READ, same.rightsOf("u").permissionOn("ns1"));
    assertEquals(WRITE, changed.rightsOf("u").permissionOn("ns1"), "no rights from an old policy");
  }

  @Test
  void grantsAreImmutable() {
    Map<String, NamespacePermission> grants = rights("multi").grants();
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
        () -> grants.put("ns9", ADMIN));
  }

  /** The grant table against a map, for sizes around each power of two, names as other objects. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 100, 1000})
  void grantTableAnswersLikeAMap(int count) {
    java.util.Map<String, NamespacePermission> grants = new java.util.HashMap<>();
    NamespacePermission[] values = NamespacePermission.values();
    for (int i = 0; i < count; i++) {
      grants.put("ns-" + i, values[i % values.length]);
    }
    Principal principal = new Principal("u", PrincipalType.USER, READ_ONLY, grants, List.of(),
        null);
    EffectiveRights rights = EffectiveRights.compute(principal, Map.of(), List.of(),
        java.util.function.UnaryOperator.identity());
    assertEquals(grants, rights.grants());
    for (int i = 0; i < count + 50; i++) {
      String name = "ns-" + i;
      // A different String object with the same characters: found by equals, not reference.
      assertEquals(grants.get(name), rights.permissionOn(new String(name.toCharArray())), name);
    }
    assertNull(rights.permissionOn(""));
    assertNull(rights.permissionOn("NS-1"));
  }

  @Test
  void snapshotRightsUseItsOwnInstanceOfEachNamespaceName() {
    EffectiveRights rights = rights("multi");
    for (String name : rights.grants().keySet()) {
      assertSame(POLICY.namespaceNames().lookup(name.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          0, name.length()), name, name + " is the instance the request reader yields");
    }
  }
}
