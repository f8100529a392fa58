package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.explain.Json;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

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
    field(json, name, value);
  }

  /** Writes a string field to {@code out}; null is written as the empty string. */
  static void field(JsonGenerator out, SerializableString name, String value)
      throws IOException {
    out.writeFieldName(name);
    out.writeString(text(value));
  }

  /** Writes {@code namespaces} to {@code out} as an array of strings. */
  static void namespaces(JsonGenerator out, List<String> namespaces) throws IOException {
    out.writeFieldName(AuditFields.NAMESPACES);
    out.writeStartArray();
    for (int i = 0; i < namespaces.size(); i++) {
      out.writeString(text(namespaces.get(i)));
    }
    out.writeEndArray();
  }

  /**
   * Writes the three {@code shadow_*} fields to {@code out} when {@code entry} carries them:
   * the comparison's label, and the shadow decision's reason and policy version (empty when the
   * shadow policy did not decide: {@code undecided}).
   */
  static void shadowFields(JsonGenerator out, AuditLog.Entry entry) throws IOException {
    if (entry.shadowResult() == null) {
      return;
    }
    Decision shadow = entry.shadow();
    field(out, AuditFields.SHADOW_DECISION, entry.shadowResult().label());
    field(out, AuditFields.SHADOW_REASON, shadow == null ? "" : shadow.reason().label());
    field(out, AuditFields.SHADOW_POLICY_VERSION, shadow == null ? "" : shadow.policyVersion());
  }

  /** The method's full name: the decision's, else the call's (for a decision naming none). */
  static String method(AuditLog.Entry entry) {
    String method = entry.decision().method();
    return isEmpty(method) ? entry.call().fullMethod() : method;
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
