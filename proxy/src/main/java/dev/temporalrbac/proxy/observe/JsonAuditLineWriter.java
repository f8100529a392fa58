package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.server.CallInfo;
import java.io.IOException;
import java.util.List;

/**
 * The proxy's own audit format ({@code audit.format: json}, the default): the fields
 * {@link AuditLog} documents, in that order; a record of a call the shadow policy decides
 * differently ends with the three {@code shadow_*} fields. A record's only allocation here is its
 * time formatted to a string. Threading: as {@link AuditLineWriter}.
 */
final class JsonAuditLineWriter extends AuditLineWriter {
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
  private static final SerializableString SHADOW_DECISION =
      new SerializedString("shadow_decision");
  private static final SerializableString SHADOW_REASON = new SerializedString("shadow_reason");
  private static final SerializableString SHADOW_POLICY_VERSION =
      new SerializedString("shadow_policy_version");

  @Override
  void format(AuditLog.Entry entry) throws IOException {
    Decision d = entry.decision();
    CallInfo call = entry.call();
    JsonGenerator json = json();
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
    Decision shadow = entry.shadow();
    if (shadow != null) {
      field(SHADOW_DECISION, ShadowResult.of(d, shadow).label());
      field(SHADOW_REASON, shadow.reason().label());
      field(SHADOW_POLICY_VERSION, shadow.policyVersion());
    }
    json.writeEndObject();
  }
}
