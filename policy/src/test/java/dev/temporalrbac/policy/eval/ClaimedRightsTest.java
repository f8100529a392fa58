package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.ClaimedRights;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.RequestFacts;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rights a verified token carries (issue 10 item 3), through {@link PolicySnapshot#rightsOf(
 * ClaimedRights, AccountRole)} and a whole decision with a token authenticator that returns them.
 * Expected values are the table: subject names a principal → its rights plus the claims;
 * otherwise a token user with the default role; groups by policy group id; permissions add.
 */
class ClaimedRightsTest {
  private static final PolicySnapshot POLICY = Fixtures.standard()
      .group("ops", "developer", "ns2=write")
      .serviceAccount("ci", "read_only", "ns1=read")
      .build();
  private static final String START = WF + "StartWorkflowExecution";

  private static ClaimedRights claims(String subject, List<String> groups,
      Map<String, NamespacePermission> grants, NamespacePermission everywhere, boolean admin) {
    return new ClaimedRights(subject, groups, grants, everywhere, admin);
  }

  @Test
  void aSubjectNamingAPrincipalKeepsItsRightsAndGainsTheClaims() {
    EffectiveRights rights = POLICY.rightsOf(claims("ci", List.of("ops"),
        Map.of("orders", NamespacePermission.WRITE), null, false), AccountRole.READ_ONLY);
    assertEquals("ci", rights.principalId());
    assertEquals("service_account", rights.typeLabel());
    assertEquals(NamespacePermission.READ, rights.permissionOn("ns1"));
    assertEquals(NamespacePermission.WRITE, rights.permissionOn("ns2")); // group ops
    assertEquals(NamespacePermission.WRITE, rights.permissionOn("orders")); // not in the policy
    assertEquals(Set.of(AccountRole.READ_ONLY, AccountRole.DEVELOPER), rights.roles());
    assertNull(rights.permissionOn("payments"));
  }

  @Test
  void anUnknownSubjectIsATokenUserWithTheDefaultRoleOrNobody() {
    ClaimedRights token = claims("alice@idp", List.of("no-such-group"),
        Map.of("ns1", NamespacePermission.ADMIN), null, false);
    EffectiveRights rights = POLICY.rightsOf(token, AccountRole.READ_ONLY);
    assertEquals("alice@idp", rights.principalId());
    assertEquals(Set.of(AccountRole.READ_ONLY), rights.roles());
    assertEquals(NamespacePermission.ADMIN, rights.permissionOn("ns1"));
    assertEquals(Set.of(AccountRole.DEVELOPER), POLICY.rightsOf(token, AccountRole.DEVELOPER)
        .roles());
    assertNull(POLICY.rightsOf(token, null), "default_role none refuses unknown subjects");
    assertSame(rights, POLICY.rightsOf(token, AccountRole.READ_ONLY), "computed once per claims");
  }

  @Test
  void temporalSystemGrantsHoldOnEveryNamespace() {
    EffectiveRights reader = POLICY.rightsOf(claims("bot", List.of(),
        Map.of("ns1", NamespacePermission.ADMIN), NamespacePermission.READ, false),
        AccountRole.READ_ONLY);
    assertEquals(NamespacePermission.READ, reader.permissionOn("anything-at-all"));
    assertEquals(NamespacePermission.ADMIN, reader.permissionOn("ns1"));
    assertEquals(NamespacePermission.READ, reader.everywhere());
    assertFalse(reader.isAdminEverywhere());

    EffectiveRights admin = POLICY.rightsOf(claims("root", List.of(), Map.of(), null, true),
        AccountRole.READ_ONLY);
    assertTrue(admin.isAdminEverywhere());
    assertTrue(admin.roles().contains(AccountRole.GLOBAL_ADMIN));
  }

  @Test
  void aNamespaceScopedAccountKeepsExactlyItsOneNamespace() {
    EffectiveRights rights = POLICY.rightsOf(claims("sa-ns1", List.of("ops"),
        Map.of("ns2", NamespacePermission.READ, "unlisted", NamespacePermission.ADMIN),
        NamespacePermission.WRITE, true), AccountRole.READ_ONLY);
    assertTrue(rights.principal().isNamespaceScoped());
    assertTrue(rights.roles().isEmpty());
    assertFalse(rights.isAdminEverywhere());
    assertNull(rights.everywhere());
    assertEquals(NamespacePermission.WRITE, rights.permissionOn("ns1"));
    assertNull(rights.permissionOn("ns2"));
    assertNull(rights.permissionOn("unlisted"));
    assertNull(rights.permissionOn("zzz"));
  }

  private static Authorizer authorizerFor(ClaimedRights token) {
    TokenAuthenticator tokens = (policy, jwt) -> Authentication.of(
        policy.rightsOf(token, AccountRole.READ_ONLY), IdentifiedBy.JWT, token.subject());
    return new Authorizer(Fixtures.CATALOG, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC),
        new Identities(tokens, null));
  }

  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

  @Test
  void aDecisionSaysTheCallerWasIdentifiedByJwtAndBySubject() {
    Authorizer authorizer = authorizerFor(claims("alice@idp", List.of(),
        Map.of("orders", NamespacePermission.WRITE), null, false));
    Decision allowed = authorizer.decide(POLICY, Caller.bearer(JWT), START,
        Fixtures.withNamespace(START, "orders"), null);
    assertTrue(allowed.allowed(), allowed::message);
    assertEquals("jwt", allowed.identifiedBy());
    assertEquals("alice@idp", allowed.credentialId());
    assertEquals("", allowed.keyId());

    Decision denied = authorizer.decide(POLICY, Caller.bearer(JWT), START,
        Fixtures.withNamespace(START, "payments"), null);
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, denied.reason());
    assertTrue(denied.message().contains("alice@idp (read_only, by JWT subject alice@idp)"),
        denied::message);
  }

  @Test
  void withoutATokenAuthenticatorAJwtShapedCredentialIsAnApiKey() {
    Decision decision = Fixtures.AUTHORIZER.decide(POLICY, Caller.bearer(JWT), START,
        Fixtures.withNamespace(START, "ns1"), null);
    assertEquals(Reason.UNKNOWN_KEY, decision.reason(), decision::message);
    assertEquals("api_key", decision.identifiedBy());
  }

  @Test
  void aJwtShapedApiKeyOfThePolicyStaysAnApiKeyWhenJwtsAreOn() {
    String cloudStyleKey = "eyJhbGciOiJFUzI1NiJ9.eyJhY2NvdW50IjoiYTEifQ.c2lnbmF0dXJl";
    PolicySnapshot policy = Fixtures.standard()
        .apiKey("key-cloud", "writer", cloudStyleKey, null, false).build();
    TokenAuthenticator never = (p, jwt) -> {
      throw new AssertionError("a key of the policy must not reach the token authenticator");
    };
    Authorizer authorizer = new Authorizer(Fixtures.CATALOG,
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Identities(never, null));
    Decision decision = authorizer.decide(policy, Caller.bearer(cloudStyleKey), START,
        Fixtures.withNamespace(START, "ns1"), null);
    assertTrue(decision.allowed(), decision::message);
    assertEquals("api_key", decision.identifiedBy());
    assertEquals("key-cloud", decision.credentialId());
  }

  @Test
  void aTokenUserCannotProveAnApiKeyItsOwn() {
    String createKey = Fixtures.CLOUD + "CreateApiKey";
    byte[] body = io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.newBuilder()
        .setSpec(io.temporal.api.cloud.identity.v1.ApiKeySpec.newBuilder()
            .setOwnerId("mallory@idp").setDisplayName("k"))
        .build().toByteArray();
    Decision tokenUser = authorizerFor(claims("mallory@idp", List.of(), Map.of(), null, false))
        .decide(POLICY, Caller.bearer(JWT), createKey, body, null);
    assertEquals(Reason.NOT_OWN_API_KEY, tokenUser.reason(), tokenUser::message);
    assertTrue(tokenUser.message().contains("token user"), tokenUser::message);

    byte[] own = io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.newBuilder()
        .setSpec(io.temporal.api.cloud.identity.v1.ApiKeySpec.newBuilder()
            .setOwnerId("ci").setDisplayName("k"))
        .build().toByteArray();
    Decision principal = authorizerFor(claims("ci", List.of(), Map.of(), null, false))
        .decide(POLICY, Caller.bearer(JWT), createKey, own, null);
    assertTrue(principal.allowed(), "a policy principal named by a token may: "
        + principal.message());
  }

  @Test
  void aRefusedTokenIsRefusedAtHeadersWithOneAuthentication() {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    TokenAuthenticator bad = (policy, jwt) -> {
      asked.incrementAndGet();
      return Authentication.refused(Reason.TOKEN_BAD_SIGNATURE, IdentifiedBy.JWT, "",
          "the JWT's signature does not verify");
    };
    Authorizer authorizer = new Authorizer(Fixtures.CATALOG,
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Identities(bad, null));
    Decision refusal = authorizer.refusalAtHeaders(POLICY, Caller.bearer(JWT), START);
    assertEquals(Reason.TOKEN_BAD_SIGNATURE, refusal.reason());
    assertEquals(START, refusal.method());
    assertEquals(1, asked.get());
    assertNull(authorizer.refusalAtHeaders(POLICY, Caller.apiKey(Fixtures.secretOf("writer")),
        START), "a caller that authenticates is not refused at its headers");
  }

  @Test
  void aRefusedTokenIsUnauthenticatedWithTheAuthenticatorsReason() {
    TokenAuthenticator expired = (policy, jwt) -> Authentication.refused(Reason.TOKEN_EXPIRED,
        IdentifiedBy.JWT, "bob", "the JWT of bob expired at 2026-01-01T00:00:00Z");
    Authorizer authorizer = new Authorizer(Fixtures.CATALOG,
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Identities(expired, null));
    Decision decision = authorizer.decide(POLICY, Caller.bearer(JWT), START,
        Fixtures.withNamespace(START, "ns1"), null);
    assertEquals(Reason.TOKEN_EXPIRED, decision.reason());
    assertEquals(StatusCode.UNAUTHENTICATED, decision.status());
    assertEquals("jwt", decision.identifiedBy());
    assertEquals("bob", decision.credentialId());
    assertEquals(Reason.TOKEN_EXPIRED,
        authorizer.refusalAtHeaders(POLICY, Caller.bearer(JWT), START).reason());
  }

  @Test
  void tooManyUnlistedNamespacesNeedThePermissionEverywhere() {
    int field = StartWorkflowExecutionRequest.getDescriptor().findFieldByName("namespace")
        .getNumber();
    List<String> names = new ArrayList<>();
    Map<String, NamespacePermission> grants = new java.util.HashMap<>();
    for (int i = 0; i <= RequestFacts.MAX_UNLISTED; i++) { // one more than is kept
      names.add("token-ns-" + i);
      if (i < RequestFacts.MAX_UNLISTED) {
        grants.put("token-ns-" + i, NamespacePermission.WRITE); // the dropped one is not granted
      }
    }
    byte[] body = Fixtures.repeatedStringField(field, names.toArray(new String[0]));
    Decision named = authorizerFor(claims("alice@idp", List.of(), grants, null, false))
        .decide(POLICY, Caller.bearer(JWT), START, body, null);
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, named.reason(), named::message);
    assertTrue(named.message().contains("names more than 16 namespaces"), named::message);

    Decision readEverywhere = authorizerFor(claims("alice@idp", List.of(), grants,
        NamespacePermission.READ, false)).decide(POLICY, Caller.bearer(JWT), START, body, null);
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, readEverywhere.reason());

    Decision writeEverywhere = authorizerFor(claims("alice@idp", List.of(), Map.of(),
        NamespacePermission.WRITE, false)).decide(POLICY, Caller.bearer(JWT), START, body, null);
    assertTrue(writeEverywhere.allowed(), writeEverywhere::message);
  }
}
