package dev.temporalrbac.policy.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of what {@link CompactJws} reads as a JWT: every blank a JSON header may open with,
 * and the characters just outside each base64url range, in any segment.
 */
class CompactJwsShapeTest {
  private static final String PAYLOAD = ".eyJzdWIiOiJ4In0.";

  @ParameterizedTest
  @ValueSource(strings = {
      "CXsiYWxnIjoiUlMyNTYifQ", // tab, then the object
      "DXsiYWxnIjoiUlMyNTYifQ", // carriage return
      "IAkNCnsiYWxnIjoiUlMyNTYifQ"}) // space, tab, carriage return, line feed
  void aHeaderMayOpenWithAnyJsonBlank(String header) {
    assertTrue(CompactJws.looksLike(header + PAYLOAD + "c2ln"), header);
  }

  @ParameterizedTest
  @ValueSource(strings = {"eHsiYWxnIjoiUlMyNTYifQ"}) // "x{": not a blank before the brace
  void anythingElseBeforeTheBraceIsNoJwt(String header) {
    assertFalse(CompactJws.looksLike(header + PAYLOAD + "c2ln"), header);
  }

  @ParameterizedTest
  @ValueSource(chars = {'/', ':', '@', '[', '`', '{', '+', '=', ' ', '~'})
  void aCharacterOutsideBase64UrlMakesNoJwt(char c) {
    String valid = "eyJhbGciOiJSUzI1NiJ9" + PAYLOAD + "c2ln";
    assertTrue(CompactJws.looksLike(valid));
    assertFalse(CompactJws.looksLike(valid + c), "in the signature: " + c);
    assertFalse(CompactJws.looksLike("eyJhbGciOiJSUzI1NiJ9.eyJzdWIi" + c + "OiJ4In0.c2ln"),
        "in the payload: " + c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AZaz09-_", "Zz9_", "Aa0-"})
  void everyBase64UrlRangeIsAccepted(String signature) {
    assertTrue(CompactJws.looksLike("eyJhbGciOiJSUzI1NiJ9" + PAYLOAD + signature), signature);
  }
}
