package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.CATALOG;
import static dev.temporalrbac.policy.eval.Fixtures.NOW;
import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static dev.temporalrbac.policy.eval.Fixtures.secretOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Authorizer#refusalHoldsUnder}: which refusals another policy (a shadow) would give too,
 * known without authenticating the caller again. Standard policy (see {@link Fixtures#standard()}).
 */
class RefusalHoldsUnderTest {
  private static final String START = WF + "StartWorkflowExecution";
  /** Shaped as a JWT (header {"alg":"RS256"}). */
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

  private final PolicySnapshot policy = Fixtures.standard().build();
  /** The standard policy with one more key, whose secret is {@link #JWT}. */
  private final PolicySnapshot other = Fixtures.standard()
      .apiKey("jwt-shaped", "writer", JWT, null, false).build();
  private final AtomicInteger verifications = new AtomicInteger();

  /** An authorizer whose token authenticator refuses every token for {@code reason}. */
  private Authorizer refusingTokensFor(Reason reason) {
    return new Authorizer(CATALOG, Clock.fixed(NOW, ZoneOffset.UTC), new Identities((p, jwt) -> {
      verifications.incrementAndGet();
      return Authentication.refused(reason, IdentifiedBy.JWT, "", "refused: " + reason);
    }, null));
  }

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = {"TOKEN_MALFORMED", "TOKEN_FORBIDDEN_ALGORITHM",
      "TOKEN_UNKNOWN_KEY", "TOKEN_BAD_SIGNATURE", "TOKEN_EXPIRED", "TOKEN_NOT_YET_VALID",
      "TOKEN_WRONG_ISSUER", "TOKEN_WRONG_AUDIENCE", "TOKEN_VERIFICATIONS_EXHAUSTED"})
  void aTokenThatFailsItsChecksIsRefusedUnderAnyPolicyThatHoldsNoSuchKey(Reason reason) {
    Authorizer authorizer = refusingTokensFor(reason);
    Decision refusal = authorizer.refusalAtHeaders(policy, Caller.bearer(JWT), START);
    assertEquals(reason, refusal.reason());
    assertTrue(authorizer.refusalHoldsUnder(policy, Caller.bearer(JWT), refusal));
    assertFalse(authorizer.refusalHoldsUnder(other, Caller.bearer(JWT), refusal),
        "a policy holding the value as an API key finds it before any token check");
    assertEquals(1, verifications.get(), "nothing verified by the question itself");
  }

  @Test
  void aTokenWhoseSubjectThePolicyLacksMayBeKnownToAnother() {
    Authorizer authorizer = refusingTokensFor(Reason.TOKEN_UNKNOWN_SUBJECT);
    Decision refusal = authorizer.refusalAtHeaders(policy, Caller.bearer(JWT), START);
    assertFalse(authorizer.refusalHoldsUnder(policy, Caller.bearer(JWT), refusal));
  }

  @Test
  void malformedOrMissingHeadersAreRefusedUnderAnyPolicy() {
    Authorizer authorizer = refusingTokensFor(Reason.TOKEN_BAD_SIGNATURE);
    for (Caller caller : List.of(Caller.fromRequest(List.of(), List.of()),
        Caller.fromRequest(List.of("Basic abc"), List.of()),
        Caller.fromRequest(List.of("Bearer a", "Bearer b"), List.of()))) {
      Decision refusal = authorizer.refusalAtHeaders(policy, caller, START);
      assertNotNull(refusal, caller.toString());
      assertTrue(authorizer.refusalHoldsUnder(other, caller, refusal), refusal.reason().label());
    }
    assertEquals(0, verifications.get());
  }

  @Test
  void whatThePolicySaysOfAKeyOrPrincipalMayDifferUnderAnother() {
    PolicySnapshot withKeys = Fixtures.standard()
        .apiKey("off", "writer", "disabled-secret", null, true)
        .apiKey("old", "writer", "expired-secret", "2020-01-01T00:00:00Z", false).build();
    Authorizer authorizer = refusingTokensFor(Reason.TOKEN_BAD_SIGNATURE);
    List<Caller> callers = List.of(Caller.apiKey("not-a-key"), Caller.apiKey("disabled-secret"),
        Caller.apiKey("expired-secret"), Caller.principal("nobody@example.com"));
    for (Caller caller : callers) {
      Decision refusal = authorizer.refusalAtHeaders(withKeys, caller, START);
      assertNotNull(refusal, caller.toString());
      assertFalse(authorizer.refusalHoldsUnder(other, caller, refusal), refusal.reason().label());
    }
    Decision noPolicy = authorizer.refusalAtHeaders(null, Caller.apiKey(secretOf("writer")),
        START);
    assertFalse(authorizer.refusalHoldsUnder(other, Caller.apiKey(secretOf("writer")), noPolicy));
  }

  @Test
  void aDenialAfterAuthenticationOrAnAllowIsNoCredentialRefusal() {
    Authorizer authorizer = refusingTokensFor(Reason.TOKEN_BAD_SIGNATURE);
    Caller reader = Caller.apiKey(secretOf("reader"));
    Decision denied = authorizer.decide(policy, reader, WF + "NoSuchMethod", null, null);
    assertFalse(denied.allowed());
    assertFalse(authorizer.refusalHoldsUnder(other, reader, denied));
    Decision allowed = authorizer.decide(policy, Caller.apiKey(secretOf("owner")),
        WF + "GetSystemInfo", null, null);
    assertTrue(allowed.allowed());
    assertFalse(authorizer.refusalHoldsUnder(other, reader, allowed));
  }
}
