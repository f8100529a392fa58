package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8CheckTest {

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static boolean valid(byte[] bytes) {
    return Utf8Check.isValid(bytes, 0, bytes.length);
  }

  @ParameterizedTest(name = "valid: {0}")
  @ValueSource(strings = {
      "",                          // empty
      "61 62 63",                  // ASCII
      "00 7f",                     // ASCII bounds
      "c2 80", "df bf",            // 2-byte bounds U+0080, U+07FF
      "e0 a0 80", "ef bf bf",      // 3-byte bounds U+0800, U+FFFF
      "ed 9f bf", "ee 80 80",      // around the surrogate range: U+D7FF, U+E000
      "f0 90 80 80", "f4 8f bf bf", // 4-byte bounds U+10000, U+10FFFF
      "61 c3 a9 e2 82 ac f0 9f 98 80 7a" // mixed: a é € 😀 z
  })
  void acceptsWellFormedSequences(String hex) {
    byte[] bytes = hex(hex);
    assertTrue(valid(bytes));
    // agrees with protobuf's own validator
    assertTrue(ByteString.copyFrom(bytes).isValidUtf8());
  }

  @ParameterizedTest(name = "invalid ({1}): {0}")
  @CsvSource({
      "80, lone continuation byte",
      "bf, lone continuation byte",
      "c0 80, overlong NUL",
      "c1 bf, overlong 2-byte",
      "e0 80 80, overlong 3-byte",
      "e0 9f bf, overlong 3-byte (U+07FF)",
      "f0 80 80 80, overlong 4-byte",
      "f0 8f bf bf, overlong 4-byte (U+FFFF)",
      "ed a0 80, high surrogate U+D800",
      "ed bf bf, low surrogate U+DFFF",
      "ed a0 bd ed b8 80, CESU-8 surrogate pair",
      "f4 90 80 80, above U+10FFFF",
      "f5 80 80 80, lead byte f5",
      "f8 88 80 80 80, 5-byte form",
      "fe, byte fe",
      "ff, byte ff",
      "c3, truncated 2-byte",
      "e2 82, truncated 3-byte",
      "f0 9f 98, truncated 4-byte",
      "61 e2, truncated at end after ASCII",
      "c3 41, bad continuation (ASCII)",
      "e2 28 a1, bad 2nd continuation",
      "e2 82 28, bad 3rd continuation",
      "f0 9f 98 c3, continuation replaced by lead byte"
  })
  void rejectsMalformedSequences(String hex, String why) {
    byte[] bytes = hex(hex);
    assertFalse(valid(bytes), why);
    assertFalse(ByteString.copyFrom(bytes).isValidUtf8(), "protobuf agrees: " + why);
  }

  @Test
  void checksOnlyTheGivenRange() {
    // "xéx" surrounded by invalid bytes: the slice itself is fine
    byte[] bytes = hex("ff 78 c3 a9 78 ff");
    assertTrue(Utf8Check.isValid(bytes, 1, 5));
    assertFalse(Utf8Check.isValid(bytes, 0, 5));
    assertFalse(Utf8Check.isValid(bytes, 1, 6));
    // a slice that cuts a 2-byte sequence in half is invalid even though the buffer goes on
    assertFalse(Utf8Check.isValid(bytes, 1, 3));
    assertTrue(Utf8Check.isValid(bytes, 3, 3), "empty range");
  }

  @Test
  void agreesWithJavaOnEveryCodePoint() {
    int checked = 0;
    for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x11000 ? 1 : 97)) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        continue;
      }
      int codePoint = cp;
      byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
      assertTrue(valid(bytes), () -> "U+" + Integer.toHexString(codePoint));
      checked++;
    }
    assertTrue(checked > 60_000);
  }

  @Test
  void rejectsEverySurrogateEncodedDirectly() {
    int rejected = 0;
    for (int cp = 0xD800; cp <= 0xDFFF; cp++) {
      byte[] bytes = {(byte) (0xE0 | cp >> 12), (byte) (0x80 | (cp >> 6 & 0x3F)),
          (byte) (0x80 | (cp & 0x3F))};
      if (!valid(bytes)) {
        rejected++;
      }
    }
    assertEquals(0x800, rejected);
  }
}
