package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code authorization: Bearer <credential>} (RFC 6750), strictly; nothing else is guessed at. */
class BearerCredentialsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Bearer k1|k1",
      "bearer k1|k1",
      "BEARER  k1|k1",
      "bEaReR k1.-_~+/=|k1.-_~+/=",
      "  Bearer k1  |k1"})
  void readsTheCredentialOfTheBearerScheme(String header, String credential) {
    assertEquals(credential, BearerCredentials.credential(header));
  }

  @ParameterizedTest
  @ValueSource(strings = {"k1", "Basic k1", "Bearer", "Bearer ", "   ", "", "Bearerk1",
      "Bearer\tk1", "Bearer k1 k2", "Token k1", "Bearer: k1"})
  void refusesEveryOtherForm(String header) {
    assertNull(BearerCredentials.credential(header));
    assertNull(BearerCredentials.caller(List.of(header)));
  }

  @Test
  void noHeaderIsAnonymousAndSeveralConflict() {
    assertEquals(Caller.anonymous().toString(), BearerCredentials.caller(List.of()).toString());
    assertEquals("Caller[2 credentials]",
        BearerCredentials.caller(List.of("Bearer a", "Bearer b")).toString());
    assertEquals("Caller[api key]", BearerCredentials.caller(List.of("Bearer a")).toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "secret-1|has no scheme",
      "Basic secret-1|does not use the Bearer scheme",
      "Bearer|has the Bearer scheme but no credential",
      "Bearer secret-1 secret-2|has whitespace inside its credential"})
  void aMalformedHeaderIsDeniedSayingWhatIsWrongAndNeverShowingIt(String header, String problem) {
    Decision denial = BearerCredentials.malformed(header, "x.Y/Z", null);
    assertFalse(denial.allowed());
    assertEquals(Reason.MALFORMED_CREDENTIALS, denial.reason());
    assertEquals("UNAUTHENTICATED", denial.status().name());
    assertTrue(denial.message().contains(problem), denial.message());
    assertTrue(denial.message().contains("'authorization: Bearer <api key>'"), denial.message());
    assertFalse(denial.message().contains("secret"), denial.message());
  }
}
