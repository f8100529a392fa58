package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CATALOG;
import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static dev.temporalrbac.policy.eval.Fixtures.HEALTH_CHECK;
import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static dev.temporalrbac.policy.eval.Fixtures.secretOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The authorizer's entry points other than the common {@code decide}: the check at the headers
 * ({@code refusalAtHeaders}), several namespace headers, a missing body,
 * bodies of methods whose decision does not read them, and what allow and deny messages name.
 * Standard policy (see {@link Fixtures#standard()}): writer has write on ns1, reader read on ns1.
 */
class AuthorizerEntryPointsTest {
  /** Built per test, so every test computes rights with the code under test, not a cache. */
  private final PolicySnapshot policy = Fixtures.standard().build();
  private static final String START = WF + "StartWorkflowExecution";
  private static final String GET_USAGE = CLOUD + "GetUsage";
  /** A truncated varint: no message type can be parsed from it. */
  private static final byte[] GARBAGE = {(byte) 0xFF};

  private static Caller keyOf(String owner) {
    return Caller.apiKey(secretOf(owner));
  }

  // ---- refusalAtHeaders --------------------------------------------------------------------

  @Test
  void refusalAtHeadersIsNullForAnAuthenticatedCaller() {
    assertNull(AUTHORIZER.refusalAtHeaders(policy, keyOf("reader"), START));
    assertNull(AUTHORIZER.refusalAtHeaders(policy, keyOf("reader"), WF + "NoSuchMethod"),
        "the method is decided later, with the body");
  }

  @Test
  void refusalAtHeadersSaysWhyAndWhatTheMethodNeeds() {
    Decision unknownKey =
        AUTHORIZER.refusalAtHeaders(policy, Caller.apiKey("not-a-key-of-the-policy"), START);
    assertNotNull(unknownKey);
    assertEquals(Reason.UNKNOWN_KEY, unknownKey.reason());
    assertEquals("namespace:write", unknownKey.required());
    assertEquals(START, unknownKey.method());

    Decision anonymous = AUTHORIZER.refusalAtHeaders(policy, Caller.anonymous(), GET_USAGE);
    assertNotNull(anonymous);
    assertEquals(Reason.NO_CREDENTIALS, anonymous.reason());
    assertEquals("role:finance_admin|global_admin|account_owner", anonymous.required());

    Decision unknownMethod =
        AUTHORIZER.refusalAtHeaders(policy, Caller.anonymous(), WF + "NoSuchMethod");
    assertNotNull(unknownMethod);
    assertEquals(Reason.NO_CREDENTIALS, unknownMethod.reason());
    assertEquals("", unknownMethod.required());
  }

  @Test
  void aPublicMethodIsRefusedAtHeadersOnlyForMalformedHeaders() {
    assertNull(AUTHORIZER.refusalAtHeaders(policy, Caller.anonymous(), HEALTH_CHECK));
    assertNull(AUTHORIZER.refusalAtHeaders(policy, Caller.apiKey("unknown"), HEALTH_CHECK),
        "an unknown key does not matter where anyone may call");
    Caller twoHeaders = Caller.fromRequest(List.of("Bearer a", "Bearer b"), List.of());
    Decision refused = AUTHORIZER.refusalAtHeaders(policy, twoHeaders, HEALTH_CHECK);
    assertNotNull(refused);
    assertEquals(Reason.MULTIPLE_CREDENTIALS, refused.reason());
    assertEquals("any caller", refused.required());
  }

  @Test
  void withoutAPolicyTheHeadersAreRefused() {
    Decision refused = AUTHORIZER.refusalAtHeaders(null, keyOf("owner"), START);
    assertNotNull(refused);
    assertEquals(Reason.NO_POLICY, refused.reason());
    assertEquals(StatusCode.UNAVAILABLE, refused.status());
  }

  // ---- decideWithHeaders ----------------------------------------------------------------------

  @Test
  void everyNamespaceHeaderIsAuthorized() {
    byte[] body = Fixtures.withNamespace(START, "ns1");
    Decision one = AUTHORIZER.decideWithHeaders(policy, keyOf("writer"), START, body,
        List.of("ns1"));
    assertTrue(one.allowed(), one::message);
    assertEquals(List.of("ns1"), one.namespaces());

    Decision two = AUTHORIZER.decideWithHeaders(policy, keyOf("writer"), START, body,
        List.of("ns1", "ns2"));
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, two.reason(), two::message);
    assertTrue(two.message().contains("on namespace ns2"), two::message);
    assertEquals(List.of("ns1", "ns2"), two.namespaces());
  }

  @Test
  void headersAloneNameTheNamespacesOfAnEmptyBody() {
    Decision allowed = AUTHORIZER.decideWithHeaders(policy, keyOf("writer"), START, null,
        List.of("ns1"));
    assertTrue(allowed.allowed(), allowed::message);
    Decision none = AUTHORIZER.decideWithHeaders(policy, keyOf("writer"), START, null, List.of());
    assertEquals(Reason.NO_NAMESPACE, none.reason(), none::message);
  }

  // ---- bodies ---------------------------------------------------------------------------------

  @Test
  void aMissingBodyIsReadAsAnEmptyMessage() {
    Decision byHeader = AUTHORIZER.decide(policy, keyOf("writer"), START, null, "ns1");
    assertTrue(byHeader.allowed(), byHeader::message);
    assertEquals(List.of("ns1"), byHeader.namespaces());
    Decision noNamespace = AUTHORIZER.decide(policy, keyOf("writer"), START, null, null);
    assertEquals(Reason.NO_NAMESPACE, noNamespace.reason(), noNamespace::message);
  }

  @Test
  void aBodyTheDecisionDoesNotReadIsNotParsed() {
    assertTrue(CATALOG.find(GET_USAGE).plan().readsNothing());
    Decision usage = AUTHORIZER.decide(policy, keyOf("finance"), GET_USAGE, GARBAGE, null);
    assertTrue(usage.allowed(), usage::message);

    Decision read = AUTHORIZER.decide(policy, keyOf("writer"), START, GARBAGE, "ns1");
    assertEquals(Reason.MALFORMED_REQUEST, read.reason(), read::message);
    assertTrue(read.message().contains(
        "temporal.api.workflowservice.v1.StartWorkflowExecutionRequest"), read::message);
  }

  // ---- messages and fields --------------------------------------------------------------------

  @Test
  void anAllowNamesTheMethodAndWhatItNeeds() {
    Decision allowed = AUTHORIZER.decide(policy, keyOf("writer"), START,
        Fixtures.withNamespace(START, "ns1"), null);
    assertTrue(allowed.allowed(), allowed::message);
    assertEquals("allowed: WorkflowService/StartWorkflowExecution needs namespace:write",
        allowed.message());
    assertEquals("namespace:write", allowed.required());
  }

  @Test
  void aMissingRoleNamesTheMethodAndEveryRoleThatWouldDo() {
    Decision denied = AUTHORIZER.decide(policy, keyOf("dev"), GET_USAGE, null, null);
    assertEquals(Reason.MISSING_ROLE, denied.reason());
    assertTrue(denied.message().contains("may not call CloudService/GetUsage: it needs the role"
        + " finance_admin or global_admin or account_owner"), denied::message);
  }

  @Test
  void aNamespaceScopedAccountIsToldItsAccountLevelLimit() {
    Decision denied = AUTHORIZER.decide(policy, keyOf("sa-ns1"), CLOUD + "CreateUser", null, null);
    assertEquals(Reason.MISSING_ROLE, denied.reason());
    assertTrue(denied.message().contains("sa-ns1 is a namespace-scoped service account"),
        denied::message);
    assertTrue(denied.message().contains("CloudService/CreateUser needs global_admin or"
        + " account_owner"), denied::message);
    Decision everyRole = AUTHORIZER.decide(policy, keyOf("sa-ns1"), CLOUD + "GetRegions", null,
        null);
    assertTrue(everyRole.allowed(), everyRole::message);
  }

  @Test
  void anUnknownMethodIsDeniedOnceTheCallerIsKnown() {
    Decision denied = AUTHORIZER.decide(policy, keyOf("owner"), WF + "NoSuchMethod", null, null);
    assertEquals(Reason.UNKNOWN_METHOD, denied.reason());
    assertEquals("", denied.required());
    assertTrue(denied.message().contains(WF + "NoSuchMethod"), denied::message);
  }

  @Test
  void theAuthorizerExposesWhatItWasBuiltWith() {
    Identities identities = new Identities((policy, token) -> null, null);
    Authorizer authorizer =
        new Authorizer(CATALOG, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), identities);
    assertSame(CATALOG, authorizer.catalog());
    assertSame(identities, authorizer.identities());
    assertSame(Identities.apiKeysOnly(), AUTHORIZER.identities());
  }
}
