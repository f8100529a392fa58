package dev.temporalrbac.proxy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final String AWKWARD = ParsedJson.AWKWARD;

  @Test
  void quotedTextReadsBackUnchanged() {
    for (String text : List.of(AWKWARD, "", "plain", "\"", "\\")) {
      String line = "{\"v\":" + Json.quote(text) + "}";
      assertEquals(text, ParsedJson.object(line).get("v"), line);
    }
  }

  @Test
  void escapesQuotesBackslashesControlCharactersAndLineSeparators() {
    assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
    assertEquals("\"\\n\\r\\t\"", Json.quote("\n\r\t"));
    assertEquals("\"\\u0001\\u001f\"", Json.quote("\u0001\u001f"));
    assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
    assertEquals("\"é中\uD83D\uDE00\"", Json.quote("é中\uD83D\uDE00"), "non-ASCII as is");
  }

  @Test
  void redactsSecretsAsIsAndEscaped() {
    String secret = "k\"ey\n";
    String text = "bad key " + secret + " in {\"key\":" + Json.quote(secret) + "}";
    assertEquals("bad key <redacted> in {\"key\":\"<redacted>\"}",
        Json.redact(text, List.of(secret, "")));
  }
}
