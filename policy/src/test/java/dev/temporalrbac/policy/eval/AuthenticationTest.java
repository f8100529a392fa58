package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CATALOG;
import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static dev.temporalrbac.policy.eval.Fixtures.HEALTH_CHECK;
import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.Scope;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who is calling: API keys, principals, no credentials, no policy; and fail-closed denials. */
class AuthenticationTest {
  private static final String EXPIRY = "2026-07-01T00:00:00Z";
  private static final String START = WF + "StartWorkflowExecution";
  private static final String CREATE_USER = CLOUD + "CreateUser";
  private static final String GET_ACCOUNT = CLOUD + "GetAccount";
  private static final String UNKNOWN = WF + "NoSuchMethod";
  private static final String DISABLED_SECRET = "disabled-secret-do-not-print";
  private static final String EXPIRING_SECRET = "expiring-secret-do-not-print";
  private static final String UNKNOWN_SECRET = "unknown-secret-do-not-print";

  private static final PolicySnapshot POLICY = Fixtures.standard()
      .apiKey("key-disabled", "admin", DISABLED_SECRET, null, true)
      .apiKey("key-expiring", "admin", EXPIRING_SECRET, EXPIRY, false)
      .build();

  private static Decision decide(Caller caller, String method) {
    return AUTHORIZER.decide(POLICY, caller, method, Fixtures.withNamespace(START, "ns1"), null);
  }

  private static void assertDenied(Decision decision, Reason reason, StatusCode status) {
    assertFalse(decision.allowed(), decision::message);
    assertEquals(reason, decision.reason(), decision::message);
    assertEquals(status, decision.status());
  }

  static Stream<Caller> noCredentials() {
    return Stream.of(Caller.anonymous(), Caller.apiKey(null), Caller.apiKey(""),
        Caller.principal(null), Caller.principal(""));
  }

  @ParameterizedTest
  @MethodSource("noCredentials")
  void noCredentialsIsUnauthenticated(Caller caller) {
    Decision decision = decide(caller, START);
    assertDenied(decision, Reason.NO_CREDENTIALS, StatusCode.UNAUTHENTICATED);
    assertTrue(decision.message().contains("authorization"), decision.message());
    assertEquals("", decision.principal());
    assertNull(decision.rights());
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    Decision decision = decide(Caller.apiKey(UNKNOWN_SECRET), START);
    assertDenied(decision, Reason.UNKNOWN_KEY, StatusCode.UNAUTHENTICATED);
    assertTrue(decision.message().contains(POLICY.version()), "names the policy version");
  }

  @Test
  void disabledKeyIsUnauthenticatedEvenForAnAdminsKey() {
    Decision decision = decide(Caller.apiKey(DISABLED_SECRET), START);
    assertDenied(decision, Reason.KEY_DISABLED, StatusCode.UNAUTHENTICATED);
    assertTrue(decision.message().contains("key-disabled"), decision.message());
  }

  @Test
  void keyIsValidBeforeItsExpiryAndNotAtOrAfterIt() {
    Instant expiry = Instant.parse(EXPIRY);
    Caller caller = Caller.apiKey(EXPIRING_SECRET);
    for (Instant at : List.of(expiry.minusSeconds(1), expiry.minusSeconds(86_400))) {
      Decision decision = at(at).decide(POLICY, caller, CREATE_USER, null, null);
      assertTrue(decision.allowed(), () -> at + ": " + decision.message());
      assertEquals("key-expiring", decision.keyId());
    }
    for (Instant at : List.of(expiry, expiry.plusSeconds(1), expiry.plusSeconds(86_400 * 400L))) {
      Decision decision = at(at).decide(POLICY, caller, CREATE_USER, null, null);
      assertDenied(decision, Reason.KEY_EXPIRED, StatusCode.UNAUTHENTICATED);
      assertTrue(decision.message().contains("key-expiring"), decision.message());
    }
  }

  private static Authorizer at(Instant instant) {
    return new Authorizer(CATALOG, Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void unknownPrincipalIsUnauthenticated() {
    Decision decision = decide(Caller.principal("nobody"), GET_ACCOUNT);
    assertDenied(decision, Reason.UNKNOWN_PRINCIPAL, StatusCode.UNAUTHENTICATED);
    assertTrue(decision.message().contains("nobody"), decision.message());
  }

  static Stream<Arguments> keyActsAsItsOwner() {
    List<Arguments> cases = new ArrayList<>();
    for (String owner : List.of("owner", "admin", "dev", "finance", "viewer", "reader", "writer",
        "nsadmin", "sa-ns1")) {
      for (String method : List.of(START, WF + "DescribeNamespace", WF + "UpdateNamespace",
          CREATE_USER, CLOUD + "CreateNamespace", CLOUD + "GetUsage", GET_ACCOUNT,
          CLOUD + "CreateBillingReport", WF + "GetClusterInfo")) {
        cases.add(Arguments.of(owner, method));
      }
    }
    return cases.stream();
  }

  /** A key is never more (and never less) than its owner: same outcome as the owner itself. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void keyActsAsItsOwner(String owner, String method) {
    byte[] body = CATALOG.find(method).rule().scope() == Scope.NAMESPACE
        ? Fixtures.withNamespace(method, "ns1") : new byte[0];
    Decision byKey = Fixtures.withKeyOf(POLICY, owner, method, body);
    Decision byOwner = Fixtures.asPrincipal(POLICY, owner, method, body);
    assertEquals(byOwner.outcome(), byKey.outcome(), byKey::message);
    assertEquals(byOwner.reason(), byKey.reason());
    assertEquals(owner, byKey.principal());
    assertEquals(Fixtures.keyIdOf(owner), byKey.keyId());
    assertEquals("", byOwner.keyId());
  }

  @Test
  void keysOfAReadOnlyUserCannotDoWhatTheUserCannot() {
    Decision decision = Fixtures.withKeyOf(POLICY, "viewer", CREATE_USER, null);
    assertDenied(decision, Reason.MISSING_ROLE, StatusCode.PERMISSION_DENIED);
    assertEquals("read_only", decision.role());
    assertEquals("user", decision.principalType());
  }

  @ParameterizedTest
  @ValueSource(strings = {HEALTH_CHECK, WF + "GetSystemInfo"})
  void publicMethodsNeedNoCredentials(String method) {
    for (Caller caller : List.of(Caller.anonymous(), Caller.apiKey(UNKNOWN_SECRET),
        Caller.apiKey(DISABLED_SECRET), Caller.apiKey(Fixtures.secretOf("viewer")))) {
      Decision decision = AUTHORIZER.decide(POLICY, caller, method, null, null);
      assertTrue(decision.allowed(), () -> caller + ": " + decision.message());
      assertEquals(StatusCode.OK, decision.status());
    }
  }

  @Test
  void authenticatedMethodsNeedAPrincipal() {
    String method = WF + "GetClusterInfo";
    assertDenied(AUTHORIZER.decide(POLICY, Caller.anonymous(), method, null, null),
        Reason.NO_CREDENTIALS, StatusCode.UNAUTHENTICATED);
    assertTrue(Fixtures.withKeyOf(POLICY, "sa-ns1", method, null).allowed());
  }

  @ParameterizedTest
  @ValueSource(strings = {UNKNOWN, "grpc.health.v1.Health/Watch",
      "temporal.api.workflowservice.v2.WorkflowService/StartWorkflowExecution",
      "StartWorkflowExecution", ""})
  void unknownMethodIsDeniedForEveryoneEvenAdmins(String method) {
    for (String who : List.of("owner", "admin", "viewer")) {
      Decision decision = Fixtures.withKeyOf(POLICY, who, method, null);
      assertDenied(decision, Reason.UNKNOWN_METHOD, StatusCode.PERMISSION_DENIED);
      assertTrue(decision.message().contains("no rule for method " + method),
          decision.message());
    }
  }

  @Test
  void unknownMethodWithoutCredentialsIsUnauthenticated() {
    assertDenied(AUTHORIZER.decide(POLICY, Caller.anonymous(), UNKNOWN, null, null),
        Reason.NO_CREDENTIALS, StatusCode.UNAUTHENTICATED);
    assertDenied(AUTHORIZER.decide(POLICY, Caller.apiKey(UNKNOWN_SECRET), UNKNOWN, null, null),
        Reason.UNKNOWN_KEY, StatusCode.UNAUTHENTICATED);
  }

  @ParameterizedTest
  @ValueSource(strings = {HEALTH_CHECK, START, GET_ACCOUNT, UNKNOWN})
  void noPolicyDeniesEverything(String method) {
    for (Caller caller : List.of(Caller.anonymous(), Caller.apiKey(Fixtures.secretOf("owner")),
        Caller.principal("owner"))) {
      Decision decision = AUTHORIZER.decide(null, caller, method, null, null);
      assertDenied(decision, Reason.NO_POLICY, StatusCode.UNAVAILABLE);
      assertEquals("", decision.policyVersion());
    }
  }

  @Test
  void theSecretNeverAppearsInADecisionOrACaller() {
    List<String> secrets = List.of(Fixtures.secretOf("viewer"), Fixtures.secretOf("admin"),
        UNKNOWN_SECRET, DISABLED_SECRET, EXPIRING_SECRET);
    List<Authorizer> authorizers = List.of(AUTHORIZER, at(Instant.parse(EXPIRY)));
    List<String> methods = List.of(START, CREATE_USER, UNKNOWN, HEALTH_CHECK);
    int decisions = 0;
    for (String secret : secrets) {
      Caller caller = Caller.apiKey(secret);
      assertFalse(caller.toString().contains(secret), caller::toString);
      for (Authorizer authorizer : authorizers) {
        for (String method : methods) {
          for (PolicySnapshot policy : Arrays.asList(POLICY, null)) {
            Decision d = authorizer.decide(policy, caller, method,
                Fixtures.withNamespace(START, "ns1"), "ns2");
            assertFalse(d.message().contains(secret), d::message);
            assertFalse(d.toString().contains(secret), d::toString);
            assertFalse(d.toString().contains(Authorizer.hashSecret(secret)), "nor its hash");
            decisions++;
          }
        }
      }
    }
    assertEquals(secrets.size() * authorizers.size() * methods.size() * 2, decisions);
  }

  @Test
  void uppercaseHashInThePolicyStillMatches() throws Exception {
    String secret = "mixed-case-hash-secret";
    String yaml = "users:\n  - id: u\n    role: developer\napi_keys:\n  - id: k\n    owner: u\n"
        + "    sha256: " + Authorizer.hashSecret(secret).toUpperCase() + "\n";
    PolicySnapshot policy = PolicyLoader.parse(
        yaml.getBytes(StandardCharsets.UTF_8), "upper.yaml", Fixtures.NOW);
    Decision decision = AUTHORIZER.decide(policy, Caller.apiKey(secret), GET_ACCOUNT, null, null);
    assertTrue(decision.allowed(), decision::message);
    assertEquals("k", decision.keyId());
  }

  @Test
  void hashSecretIsLowerCaseSha256Hex() {
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        Authorizer.hashSecret("hello"));
  }

  /**
   * Decisions on one thread share a reused context: nothing of a decision may show in the next
   * (reason, message, namespaces, key id, caller).
   */
  @Test
  void nothingOfOneDecisionCarriesIntoTheNext() {
    Decision denied = AUTHORIZER.decide(POLICY, Caller.apiKey(Fixtures.secretOf("reader")),
        START, Fixtures.withNamespace(START, "ns2"), "ns1");
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, denied.reason());
    assertEquals(List.of("ns2", "ns1"), denied.namespaces());
    assertEquals(Fixtures.keyIdOf("reader"), denied.keyId());

    Decision account = AUTHORIZER.decide(POLICY, Caller.principal("viewer"), GET_ACCOUNT, null,
        null);
    assertEquals(Reason.ALLOWED, account.reason());
    assertEquals(List.of(), account.namespaces());
    assertEquals("", account.keyId(), "a principal caller used no key");
    assertEquals("viewer", account.principal());
    assertEquals("read_only", account.role());
    assertTrue(account.message().startsWith("allowed"), account.message());

    Decision anonymous = AUTHORIZER.decide(POLICY, Caller.anonymous(), START,
        Fixtures.withNamespace(START, "ns1"), null);
    assertEquals(Reason.NO_CREDENTIALS, anonymous.reason());
    assertEquals("", anonymous.principal());
    assertEquals("", anonymous.role());
    assertNull(anonymous.rights());

    Decision allowed = AUTHORIZER.decide(POLICY, Caller.apiKey(Fixtures.secretOf("writer")),
        START, Fixtures.withNamespace(START, "ns1"), null);
    assertTrue(allowed.allowed(), allowed.message());
    assertEquals(List.of("ns1"), allowed.namespaces());
    assertEquals("namespace:write", allowed.required());
    assertEquals("user", allowed.principalType());
  }
}
