package dev.temporalrbac.proxy.explain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonpCharacterEscapes;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * The JSON settings every line the proxy writes shares (audit log, {@code explain}), on Jackson's
 * streaming API, and the two string helpers the CLI needs. Strings are escaped as RFC 8259 asks:
 * control characters as six-character escapes with lowercase hex (or their short forms such as
 * newline's), and U+2028 and U+2029 escaped too, since some JavaScript parsers take them for line
 * ends. Non-ASCII text is
 * written as is (the sinks are UTF-8). Thread-safe: the factory is immutable once built.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .characterEscapes(JsonpCharacterEscapes.instance())
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      // one object per line: the writers add the newline themselves, nothing between objects
      .rootValueSeparator((String) null)
      // a generator over a sink the caller owns must not close it
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private Json() {}

  /** The factory for generators and parsers with these settings. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /** {@code text} as a JSON string literal, quotes included. */
  public static String quote(String text) {
    StringWriter out = new StringWriter(text.length() + 8);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeString(text);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return out.toString();
  }

  /**
   * {@code text} with every non-empty secret replaced by {@code <redacted>}, both as is and in
   * its JSON-escaped form (parser messages quote values escaped).
   */
  public static String redact(String text, Collection<String> secrets) {
    String result = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        String quoted = quote(secret);
        result = result.replace(secret, "<redacted>")
            .replace(quoted.substring(1, quoted.length() - 1), "<redacted>");
      }
    }
    return result;
  }
}
