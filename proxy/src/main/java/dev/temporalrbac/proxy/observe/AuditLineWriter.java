package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.explain.Json;
import dev.temporalrbac.proxy.server.CallInfo;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Formats audit records as JSON lines (the fields {@link AuditLog} documents, in that order) with
 * one Jackson generator and one character buffer, both reused for every record: a record costs
 * no parse tree and no buffer of its own (its time is formatted to a string; this runs on the
 * writer thread, never on a transport thread). The line is built whole in the
 * buffer, then handed to the sink in one write, so a sink that fails loses that line without
 * leaving the generator half-way through an object.
 *
 * <p>Threading: not thread-safe; one instance per writer thread (the audit log's writer).
 */
final class AuditLineWriter {
  private static final SerializableString TIME = new SerializedString("time");
  private static final SerializableString DECISION = new SerializedString("decision");
  private static final SerializableString REASON = new SerializedString("reason");
  private static final SerializableString MESSAGE = new SerializedString("message");
  private static final SerializableString PRINCIPAL = new SerializedString("principal");
  private static final SerializableString PRINCIPAL_TYPE = new SerializedString("principal_type");
  private static final SerializableString ROLE = new SerializedString("role");
  private static final SerializableString IDENTIFIED_BY = new SerializedString("identified_by");
  private static final SerializableString CREDENTIAL_ID = new SerializedString("credential_id");
  private static final SerializableString KEY_ID = new SerializedString("key_id");
  private static final SerializableString METHOD = new SerializedString("method");
  private static final SerializableString NAMESPACES = new SerializedString("namespaces");
  private static final SerializableString REQUIRED = new SerializedString("required");
  private static final SerializableString PEER = new SerializedString("peer");
  private static final SerializableString REQUEST_ID = new SerializedString("request_id");
  private static final SerializableString POLICY_VERSION = new SerializedString("policy_version");

  private final CharArrayWriter line = new CharArrayWriter(512);
  private JsonGenerator json = newGenerator();

  /**
   * Writes {@code entry} to {@code sink} as one line, newline included.
   *
   * @throws IOException if the sink fails; the line is then lost, and the next one is whole
   */
  void write(AuditLog.Entry entry, Writer sink) throws IOException {
    line.reset();
    try {
      format(entry);
      json.flush(); // into the line buffer only
    } catch (IOException | RuntimeException e) {
      json = newGenerator(); // never reuse a generator stopped inside an object
      throw e;
    }
    line.write('\n');
    line.writeTo(sink);
  }

  private void format(AuditLog.Entry entry) throws IOException {
    Decision d = entry.decision();
    CallInfo call = entry.call();
    json.writeStartObject();
    field(TIME, entry.time().toString());
    field(DECISION, entry.verdict().label());
    field(REASON, d.reason().label());
    field(MESSAGE, d.message());
    field(PRINCIPAL, d.principal());
    field(PRINCIPAL_TYPE, d.principalType());
    field(ROLE, d.role());
    field(IDENTIFIED_BY, d.identifiedBy());
    field(CREDENTIAL_ID, d.credentialId());
    field(KEY_ID, d.keyId());
    field(METHOD, isEmpty(d.method()) ? call.fullMethod() : d.method());
    json.writeFieldName(NAMESPACES);
    json.writeStartArray();
    List<String> namespaces = d.namespaces();
    for (int i = 0; i < namespaces.size(); i++) {
      json.writeString(text(namespaces.get(i)));
    }
    json.writeEndArray();
    field(REQUIRED, d.required());
    field(PEER, call.peer());
    field(REQUEST_ID, call.requestId());
    field(POLICY_VERSION, d.policyVersion());
    json.writeEndObject();
  }

  private void field(SerializableString name, String value) throws IOException {
    json.writeFieldName(name);
    json.writeString(text(value));
  }

  private JsonGenerator newGenerator() {
    try {
      return Json.factory().createGenerator(line);
    } catch (IOException e) {
      throw new IllegalStateException("a generator over a CharArrayWriter cannot fail", e);
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
