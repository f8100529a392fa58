package dev.temporalrbac.proxy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one line the proxy wrote with a plain Jackson parser (default settings, not the proxy's
 * {@link Json} factory), for tests of the audit log and {@code explain} output: the line must be
 * a single JSON object, without duplicate names, whose values are strings or arrays of strings
 * (the only shapes these outputs have), with nothing after it and no raw control character or
 * line separator in it. Field order is kept.
 */
public final class ParsedJson {
  private static final JsonFactory PLAIN = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** Every control character, quotes, backslash, slash, non-ASCII, a surrogate pair, DEL. */
  public static final String AWKWARD = awkward();

  private ParsedJson() {}

  private static String awkward() {
    StringBuilder text = new StringBuilder("say \"no\" \\ / é 中 \u2028\u2029 \uD83D\uDE00 ");
    for (char c = 0; c < 0x20; c++) {
      text.append(c);
    }
    return text.append('\u007f').toString();
  }

  /** The object's fields: each value a {@code String} or a {@code List<String>}. */
  public static Map<String, Object> object(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        fail("raw character U+" + Integer.toHexString(c) + " at " + i + " in " + line);
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser in = PLAIN.createParser(line)) {
      assertEquals(JsonToken.START_OBJECT, in.nextToken(), line);
      for (JsonToken token = in.nextToken(); token != JsonToken.END_OBJECT;
          token = in.nextToken()) {
        String name = in.currentName();
        JsonToken value = in.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          fields.put(name, in.getText());
        } else if (value == JsonToken.START_ARRAY) {
          List<String> items = new ArrayList<>();
          for (JsonToken item = in.nextToken(); item != JsonToken.END_ARRAY;
              item = in.nextToken()) {
            assertEquals(JsonToken.VALUE_STRING, item, name + " holds a non-string: " + line);
            items.add(in.getText());
          }
          fields.put(name, items);
        } else {
          fail(name + " is " + value + ", not a string or an array of strings: " + line);
        }
      }
      assertNull(in.nextToken(), "nothing after the object: " + line);
    } catch (IOException e) {
      fail("not JSON: " + line, e);
    }
    return fields;
  }
}
