package dev.temporalrbac.policy.identity.jwt;

import static dev.temporalrbac.policy.model.NamespacePermission.ADMIN;
import static dev.temporalrbac.policy.model.NamespacePermission.READ;
import static dev.temporalrbac.policy.model.NamespacePermission.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a token's claims become rights (issue 10, item 3). The expected rights are the issue's
 * table written out here: {@code reader}→read, {@code writer}→write, {@code admin}→namespace
 * admin, {@code worker}→nothing, {@code temporal-system:admin}→global admin,
 * {@code temporal-system:writer}/{@code reader}→write/read everywhere.
 */
class ClaimsMappingTest {
  private static final RSAKey KEY = Tokens.rsa("k1");
  private static JwksServer server;
  private static JwksKeys keys;

  private final PolicySnapshot policy = Fixtures.policy()
      .user("viewer", "read_only")
      .user("writer", "read_only", "ns1=write")
      .member("member", "read_only", List.of("ops"))
      .serviceAccount("ci-bot", "developer", "ns2=write")
      .group("eng", "developer", "ns2=write")
      .group("ops", "read_only", "ns1=admin")
      .namespace("ns1", "id-ns1", null, null)
      .namespace("ns2", "id-ns2", null, null)
      .build();

  @BeforeAll
  static void serve() throws Exception {
    server = new JwksServer(KEY);
    keys = new JwksKeys(Settings.of(server.url()).build(), Tokens.CLOCK);
    keys.loadInitial();
  }

  @AfterAll
  static void stop() {
    keys.close();
    server.close();
  }

  private EffectiveRights rights(Settings settings, JWTClaimsSet claims) {
    Authentication result = new JwtAuthenticator(settings.build(), keys, Tokens.CLOCK)
        .authenticate(policy, Tokens.sign(KEY, claims));
    assertTrue(result.authenticated(), () -> result.message());
    return result.rights();
  }

  private EffectiveRights permissions(Object claim) {
    return rights(Settings.of(server.url()),
        Tokens.claims("token-user").claim("permissions", claim).build());
  }

  /** {@code expected} as namespace → permission pairs; every other namespace holds nothing. */
  private static void assertGrants(EffectiveRights rights, Object... expected) {
    Map<String, NamespacePermission> want = new HashMap<>();
    for (int i = 0; i < expected.length; i += 2) {
      want.put((String) expected[i], (NamespacePermission) expected[i + 1]);
    }
    for (String ns : List.of("default", "ns", "ns1", "ns2", "x", "other")) {
      assertEquals(want.get(ns), rights.permissionOn(ns), "on " + ns);
    }
    assertFalse(rights.isAdminEverywhere());
  }

  @Test
  void temporalPermissionsClaimPerNamespace() {
    assertGrants(permissions(List.of("default:read")), "default", READ);
    assertGrants(permissions(List.of("default:reader")), "default", READ);
    assertGrants(permissions(List.of("ns:WRITE")), "ns", WRITE);
    assertGrants(permissions(List.of("ns:writer")), "ns", WRITE);
    assertGrants(permissions(List.of("ns:Admin")), "ns", ADMIN);
    assertGrants(permissions(List.of("x:worker")));
    assertGrants(permissions(List.of("ns:read", "ns:admin", "ns:write")), "ns", ADMIN);
    assertGrants(permissions(List.of("ns1:read", "x:worker", "x:reader")), "ns1", READ,
        "x", READ);
    assertGrants(permissions("default:write")); // not an array: Temporal ignores it, and so do we
  }

  @Test
  void junkPermissionEntriesAreIgnored() {
    assertGrants(permissions(Arrays.asList("nocolon", "", ":read", "ns:", "ns:owner",
        "ns:read:extra", 42, Map.of("ns", "read"), null, List.of("ns:read"), "other:read")),
        "other", READ);
    assertGrants(permissions(42));
    assertGrants(permissions(Map.of("default", "read")));
  }

  @Test
  void temporalSystemGrantsEverywhere() {
    EffectiveRights admin = permissions(List.of("temporal-system:admin"));
    assertTrue(admin.isAdminEverywhere());
    assertTrue(admin.roles().contains(AccountRole.GLOBAL_ADMIN));
    assertEquals(ADMIN, admin.permissionOn("anything"));

    EffectiveRights writer = permissions(List.of("temporal-system:writer", "ns1:admin"));
    assertFalse(writer.isAdminEverywhere());
    assertEquals(WRITE, writer.permissionOn("anything"));
    assertEquals(WRITE, writer.everywhere());
    assertEquals(ADMIN, writer.permissionOn("ns1"));

    EffectiveRights reader = permissions(List.of("temporal-system:reader"));
    assertEquals(READ, reader.permissionOn("anything"));
    assertEquals(READ, reader.everywhere());
    assertEquals(Set.of(AccountRole.READ_ONLY), reader.roles());

    assertEquals(WRITE, permissions(List.of("temporal-system:read", "temporal-system:write"))
        .everywhere());
    assertEquals(null, permissions(List.of("temporal-system:worker")).everywhere());
  }

  @Test
  void aPermissionsRegexInGoSyntax() {
    Settings settings = Settings.of(server.url())
        .regex(JwtSettings.permissionsPattern("^(?P<namespace>[a-z0-9-]+)\\.(?P<role>\\w+)$"));
    EffectiveRights rights = rights(settings, Tokens.claims("token-user")
        .claim("permissions", List.of("ns1.writer", "ns2:admin", "x.worker", "default.READ"))
        .build());
    assertGrants(rights, "ns1", WRITE, "default", READ);
  }

  @Test
  void aPermissionsRegexNeedsBothGroups() {
    assertThrows(IllegalArgumentException.class,
        () -> JwtSettings.permissionsPattern("(?P<namespace>\\w+):(\\w+)"));
    assertThrows(IllegalArgumentException.class,
        () -> JwtSettings.permissionsPattern("(?P<namespace>[a-z"));
  }

  @Test
  void anotherPermissionsClaimName() {
    EffectiveRights rights = rights(Settings.of(server.url()).permissionsClaim("temporal.perms"),
        Tokens.claims("token-user").claim("temporal", Map.of("perms", List.of("ns1:write")))
            .claim("permissions", List.of("ns2:admin")).build());
    assertGrants(rights, "ns1", WRITE);
  }

  @Test
  void groupsClaimNamesPolicyGroups() {
    EffectiveRights both = rights(Settings.of(server.url()), Tokens.claims("token-user")
        .claim("groups", Arrays.asList("eng", "not-a-policy-group", 7, "ops")).build());
    assertEquals(Set.of(AccountRole.READ_ONLY, AccountRole.DEVELOPER), both.roles());
    assertGrants(both, "ns1", ADMIN, "ns2", WRITE);

    assertGrants(rights(Settings.of(server.url()),
        Tokens.claims("token-user").claim("groups", "ops").build()), "ns1", ADMIN);
  }

  @Test
  void groupsAtADottedPathAndUnderAClaimNameWithDots() {
    EffectiveRights nested = rights(Settings.of(server.url()).groupsClaim("realm_access.roles"),
        Tokens.claims("token-user").claim("realm_access", Map.of("roles", List.of("ops")))
            .build());
    assertGrants(nested, "ns1", ADMIN);
    EffectiveRights dotted = rights(
        Settings.of(server.url()).groupsClaim("https://example.com/groups"),
        Tokens.claims("token-user").claim("https://example.com/groups", List.of("eng")).build());
    assertGrants(dotted, "ns2", WRITE);
    assertEquals(Set.of(AccountRole.READ_ONLY, AccountRole.DEVELOPER), dotted.roles());
  }

  @Test
  void aSubjectNamingAPolicyPrincipalGetsItsRightsPlusTheClaims() {
    EffectiveRights writer = rights(Settings.of(server.url()), Tokens.claims("writer")
        .claim("permissions", List.of("ns2:read")).build());
    assertEquals("writer", writer.principalId());
    assertGrants(writer, "ns1", WRITE, "ns2", READ);

    EffectiveRights member = rights(Settings.of(server.url()), Tokens.claims("member").build());
    assertGrants(member, "ns1", ADMIN);

    EffectiveRights bot = rights(Settings.of(server.url()), Tokens.claims("ci-bot")
        .claim("groups", List.of("ops")).build());
    assertEquals("service_account", bot.typeLabel());
    assertEquals(Set.of(AccountRole.DEVELOPER, AccountRole.READ_ONLY), bot.roles());
    assertGrants(bot, "ns1", ADMIN, "ns2", WRITE);
  }

  @Test
  void anUnknownSubjectIsATokenUserWithTheDefaultRole() {
    EffectiveRights user = rights(Settings.of(server.url()), Tokens.claims("alice@idp").build());
    assertEquals("alice@idp", user.principalId());
    assertEquals("read_only", user.roleLabel());
    assertGrants(user);

    EffectiveRights developer = rights(Settings.of(server.url())
        .defaultRole(AccountRole.DEVELOPER), Tokens.claims("alice@idp").build());
    assertEquals("developer", developer.roleLabel());

    Authentication refused = new JwtAuthenticator(Settings.of(server.url()).defaultRole(null)
        .build(), keys, Tokens.CLOCK).authenticate(policy, Tokens.sign(KEY,
        Tokens.claims("alice@idp").claim("permissions", List.of("ns1:admin")).build()));
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, refused.reason());
    assertTrue(new JwtAuthenticator(Settings.of(server.url()).defaultRole(null).build(), keys,
        Tokens.CLOCK).authenticate(policy, Tokens.sign(KEY, Tokens.claims("viewer").build()))
        .authenticated(), "a policy user needs no default role");
  }
}
