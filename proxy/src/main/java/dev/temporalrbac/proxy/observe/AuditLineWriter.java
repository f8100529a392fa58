package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.temporalrbac.proxy.explain.Json;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes audit records as JSON lines in one {@link AuditFormat}, with one Jackson generator and
 * one character buffer, both reused for every record: a record costs no parse tree and no buffer
 * of its own. The line is built whole in the buffer, then handed to the sink in one write, so a
 * sink that fails loses that line without leaving the generator half-way through an object.
 * Subclasses say which fields a record has ({@link #format}).
 *
 * <p>Threading: not thread-safe; one instance per writer thread (the audit log's writer), which
 * is the only thread that formats, so no transport thread pays for it.
 */
abstract class AuditLineWriter {
  private final CharArrayWriter line = new CharArrayWriter(512);
  private JsonGenerator json = newGenerator(line);

  /**
   * Writes {@code entry} to {@code sink} as one line, newline included.
   *
   * @throws IOException if the sink fails; the line is then lost, and the next one is whole
   */
  final void write(AuditLog.Entry entry, Writer sink) throws IOException {
    line.reset();
    try {
      format(entry);
      json.flush(); // into the line buffer only
    } catch (IOException | RuntimeException e) {
      json = newGenerator(line); // never reuse a generator stopped inside an object
      throw e;
    }
    line.write('\n');
    line.writeTo(sink);
  }

  /** Writes {@code entry} as one JSON object with {@link #json()}. */
  abstract void format(AuditLog.Entry entry) throws IOException;

  /** The generator of the line being written. */
  final JsonGenerator json() {
    return json;
  }

  /** Writes a string field; null is written as the empty string. */
  final void field(SerializableString name, String value) throws IOException {
    json.writeFieldName(name);
    json.writeString(text(value));
  }

  /** A generator over {@code out} with the proxy's JSON escaping. */
  static JsonGenerator newGenerator(Writer out) {
    try {
      return Json.factory().createGenerator(out);
    } catch (IOException e) {
      throw new IllegalStateException("a generator over a Writer in memory cannot fail", e);
    }
  }

  static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  static String text(String value) {
    return value == null ? "" : value;
  }
}
