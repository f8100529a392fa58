package dev.temporalrbac.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code authorization: Bearer <credential>} (RFC 6750), strictly; and JWT versus API key by shape. */
class CallerTest {
  private static final String START = Fixtures.WF + "StartWorkflowExecution";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Bearer k1|k1",
      "bearer k1|k1",
      "BEARER  k1|k1",
      "bEaReR k1.-_~+/=|k1.-_~+/=",
      "  Bearer k1  |k1"})
  void readsTheCredentialOfTheBearerScheme(String header, String credential) {
    assertEquals(credential, Caller.credential(header));
    assertEquals(credential, Caller.fromRequest(List.of(header), List.of()).bearer());
  }

  @ParameterizedTest
  @ValueSource(strings = {"k1", "Basic k1", "Bearer", "Bearer ", "   ", "", "Bearerk1",
      "Bearer\tk1", "Bearer k1 k2", "Token k1", "Bearer: k1"})
  void refusesEveryOtherForm(String header) {
    assertNull(Caller.credential(header));
    Caller caller = Caller.fromRequest(List.of(header), List.of());
    assertNull(caller.bearer());
    assertTrue(caller.malformedProblem() != null, header);
  }

  @Test
  void noHeaderIsAnonymousAndSeveralConflict() {
    assertEquals("Caller[anonymous]", Caller.fromRequest(List.of(), List.of()).toString());
    assertEquals("Caller[2 credentials]",
        Caller.fromRequest(List.of("Bearer a", "Bearer b"), List.of()).toString());
    assertEquals("Caller[bearer credential]",
        Caller.fromRequest(List.of("Bearer a"), List.of()).toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "secret-1|has no scheme",
      "Basic secret-1|does not use the Bearer scheme",
      "Bearer|has the Bearer scheme but no credential",
      "Bearer secret-1 secret-2|has whitespace inside its credential"})
  void aMalformedHeaderIsDeniedSayingWhatIsWrongAndNeverShowingIt(String header, String problem) {
    Decision denial = Fixtures.AUTHORIZER.decide(Fixtures.standard().build(),
        Caller.fromRequest(List.of(header), List.of()), START, null, "ns1");
    assertFalse(denial.allowed());
    assertEquals(Reason.MALFORMED_CREDENTIALS, denial.reason());
    assertEquals(StatusCode.UNAUTHENTICATED, denial.status());
    assertTrue(denial.message().contains(problem), denial.message());
    assertTrue(denial.message().contains("'authorization: Bearer <api key>'"), denial.message());
    assertFalse(denial.message().contains("secret"), denial.message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Basic x|malformed_credentials", "junk|malformed_credentials",
      "Bearer|malformed_credentials"})
  void methodsOpenToAnyoneStillRefuseMalformedHeaders(String header, String reason) {
    PolicySnapshot policy = Fixtures.standard().build();
    Decision denial = Fixtures.AUTHORIZER.decide(policy,
        Caller.fromRequest(List.of(header), List.of()), Fixtures.HEALTH_CHECK, null, null);
    assertEquals(reason, denial.reason().label(), denial::message);
    Decision twice = Fixtures.AUTHORIZER.decide(policy,
        Caller.fromRequest(List.of("Bearer a", "Bearer b"), List.of()), Fixtures.HEALTH_CHECK,
        null, null);
    assertEquals(Reason.MULTIPLE_CREDENTIALS, twice.reason(), twice::message);
    assertTrue(Fixtures.AUTHORIZER.decide(policy, Caller.anonymous(), Fixtures.HEALTH_CHECK, null,
        null).allowed(), "open to anyone who sends no credential");
    // and the same at the call's headers
    assertEquals(null, Fixtures.AUTHORIZER.refusalAtHeaders(policy, Caller.anonymous(),
        Fixtures.HEALTH_CHECK));
    assertEquals(reason, Fixtures.AUTHORIZER.refusalAtHeaders(policy,
        Caller.fromRequest(List.of(header), List.of()), Fixtures.HEALTH_CHECK).reason().label());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", // alg none: no signature, still a JWT
      "eyJ-_.eyJ-_.abc-_",
      "IHsiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln", // header JSON opening with a blank
      "CnsiYWxnIjoiRVMyNTYifQ.eyJzdWIiOiJ4In0.c2ln"})
  void aCompactJwsIsAJwt(String credential) {
    assertTrue(CompactJws.looksLike(credential), credential);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "tk_live_abc123", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0", "a.b.c",
      "eyJhbGciOiJSUzI1NiJ9..c2ln", ".eyJzdWIiOiJ4In0.c2ln", "eyJ.eyJ.c2ln.d",
      "eyJhbGci+OiJ9.eyJzdWIi.c2ln", "eyJhbGci=.eyJzdWIi.c2ln",
      "WzFd.eyJzdWIiOiJ4In0.c2ln", // the header is JSON, but no object
      "abcd.efgh.ijkl"})
  void anythingElseIsAnApiKey(String credential) {
    assertFalse(CompactJws.looksLike(credential), credential);
  }
}
