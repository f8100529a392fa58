package dev.temporalrbac.policy.wire;

import static dev.temporalrbac.policy.wire.WireBytes.hex;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Only 0xC2–0xF4 start a multi-byte character: a continuation byte, 0xC0, 0xC1 or 0xF5–0xFF in
 * the lead position is invalid even when the bytes after it would decode to a valid code point.
 * The JDK's strict decoder is the oracle.
 */
class Utf8LeadByteTest {
  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "bf bf, continuation byte as a two-byte lead",
      "80 a0 80, continuation byte as a three-byte lead",
      "81 90 80 80, continuation byte as a four-byte lead",
      "c1 bf, 0xC1 lead",
      "f5 80 80 80, 0xF5 lead",
      "f8 90 80 80, 0xF8 lead",
      "ff 90 80 80, 0xFF lead",
  })
  void notALeadByte(String bytes, String why) {
    byte[] value = hex(bytes);
    assertFalse(jdkAccepts(value), why);
    assertFalse(Utf8Check.isValid(value, 0, value.length), why);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"c2 80", "df bf", "e0 a0 80", "ef bf bf", "f0 90 80 80", "f4 8f bf bf", "7f"})
  void everyLeadByteRangeAtItsEdges(String bytes) {
    byte[] value = hex(bytes);
    assertTrue(jdkAccepts(value));
    assertTrue(Utf8Check.isValid(value, 0, value.length), bytes);
  }
}
