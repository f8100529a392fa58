package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Reads what an audit log wrote: whole lines, each one strict JSON object (Jackson's tree). */
final class AuditLines {
  private static final JsonMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private AuditLines() {}

  /** The lines written, each ending with a newline. */
  static List<String> of(StringWriter sink) {
    String text = sink.toString();
    assertTrue(text.isEmpty() || text.endsWith("\n"), "whole lines only: " + text);
    return text.isEmpty() ? List.of() : List.of(text.substring(0, text.length() - 1).split("\n"));
  }

  /** {@code text} as one JSON object, nothing after it. */
  static JsonNode object(String text) {
    try {
      JsonNode node = STRICT.readTree(text);
      if (node == null || !node.isObject()) {
        fail("not a JSON object: " + text);
      }
      return node;
    } catch (IOException e) {
      return fail("not JSON: " + text, e);
    }
  }

  /** The object's field names, in order. */
  static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
