package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.server.CallInfo;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Temporal Cloud's audit log record shape ({@code audit.format: cloud}), for every audited call,
 * data-plane calls included (Cloud itself audits only its control plane). Sources: the "Audit
 * Log format" section of https://docs.temporal.io/cloud/audit-logs and the {@code LogRecord} and
 * {@code Principal} messages of {@code temporal/api/cloud/auditlog/v1/message.proto} in
 * https://github.com/temporalio/cloud-api. Field names are the snake_case ones both use, in the
 * documented order; values:
 *
 * <ul>
 *   <li>{@code operation}: the method's short name, e.g. {@code StartWorkflowExecution} (Cloud
 *       names operations by their API method; the full name, which tells apart two services'
 *       {@code DeleteNamespace}, is in {@code raw_details.method})
 *   <li>{@code principal}: {@code type} ({@code user} or {@code serviceaccount}, Cloud's values;
 *       empty when the caller was not identified), {@code id} (the policy's principal id),
 *       {@code name} (the JWT's subject or the client certificate's name when the caller used
 *       one, else the principal id: the policy has no other display name), {@code api_key_id}
 *       (the API key's id, never the key)
 *   <li>{@code raw_details}: a string holding a JSON object, as Cloud's is a string: the full
 *       {@code method}, {@code namespaces}, {@code decision} ({@code allow}, {@code deny},
 *       {@code dry_run_deny}), {@code reason}, {@code message}, {@code required},
 *       {@code role}, {@code identified_by}, {@code peer}, {@code policy_version}, and for a call
 *       the shadow policy decides differently {@code shadow_decision}, {@code shadow_reason},
 *       {@code shadow_policy_version}
 *   <li>{@code x_forwarded_for}: the caller's IP address as the proxy's connection sees it (the
 *       address part of the peer; the peer as given when it is not an IP socket address). A
 *       caller's own {@code X-Forwarded-For} header is not trusted and not copied
 *   <li>{@code emit_time}: RFC 3339 in UTC ({@code google.protobuf.Timestamp}'s JSON form)
 *   <li>{@code log_id}: a random UUID, unique per record
 *   <li>{@code async_operation_id}: the caller's {@code x-request-id}, or empty
 *   <li>{@code status}: {@code OK} when allowed, else the gRPC status code name the policy's
 *       denial carries (e.g. {@code PERMISSION_DENIED}), dry-run denials included
 *       ({@code raw_details.decision} says the call was forwarded)
 *   <li>{@code version}: 2, the version Cloud's documentation shows for records of this shape
 * </ul>
 *
 * <p>Left out: {@code request_id} (deprecated by Cloud in favour of {@code async_operation_id})
 * and the older schema's {@code user_email}, {@code caller_ip_address}, {@code level},
 * {@code category} and {@code details}, which the current {@code LogRecord} no longer has.
 *
 * <p>Threading: as {@link AuditLineWriter}; the UUID and the details string are made here, on
 * the writer thread.
 */
final class CloudAuditLineWriter extends AuditLineWriter {
  /** Cloud's record version for the shape written here. */
  static final int VERSION = 2;
  private static final SerializableString OPERATION = new SerializedString("operation");
  private static final SerializableString PRINCIPAL = new SerializedString("principal");
  private static final SerializableString TYPE = new SerializedString("type");
  private static final SerializableString ID = new SerializedString("id");
  private static final SerializableString NAME = new SerializedString("name");
  private static final SerializableString API_KEY_ID = new SerializedString("api_key_id");
  private static final SerializableString RAW_DETAILS = new SerializedString("raw_details");
  private static final SerializableString X_FORWARDED_FOR =
      new SerializedString("x_forwarded_for");
  private static final SerializableString EMIT_TIME = new SerializedString("emit_time");
  private static final SerializableString LOG_ID = new SerializedString("log_id");
  private static final SerializableString ASYNC_OPERATION_ID =
      new SerializedString("async_operation_id");
  private static final SerializableString STATUS = new SerializedString("status");
  private static final SerializableString VERSION_FIELD = new SerializedString("version");
  private static final SerializableString METHOD = new SerializedString("method");
  private static final SerializableString NAMESPACES = new SerializedString("namespaces");
  private static final SerializableString DECISION = new SerializedString("decision");
  private static final SerializableString REASON = new SerializedString("reason");
  private static final SerializableString MESSAGE = new SerializedString("message");
  private static final SerializableString REQUIRED = new SerializedString("required");
  private static final SerializableString ROLE = new SerializedString("role");
  private static final SerializableString IDENTIFIED_BY = new SerializedString("identified_by");
  private static final SerializableString PEER = new SerializedString("peer");
  private static final SerializableString POLICY_VERSION = new SerializedString("policy_version");
  private static final SerializableString SHADOW_DECISION =
      new SerializedString("shadow_decision");
  private static final SerializableString SHADOW_REASON = new SerializedString("shadow_reason");
  private static final SerializableString SHADOW_POLICY_VERSION =
      new SerializedString("shadow_policy_version");

  /** {@code raw_details} is written here first, then into the record as one string. */
  private final CharArrayWriter detailsText = new CharArrayWriter(256);
  private JsonGenerator details = newGenerator(detailsText);

  @Override
  void format(AuditLog.Entry entry) throws IOException {
    Decision d = entry.decision();
    CallInfo call = entry.call();
    String method = isEmpty(d.method()) ? call.fullMethod() : d.method();
    String rawDetails = rawDetails(entry, method);
    JsonGenerator json = json();
    json.writeStartObject();
    field(OPERATION, method.substring(method.lastIndexOf('/') + 1));
    json.writeFieldName(PRINCIPAL);
    json.writeStartObject();
    field(TYPE, principalType(d.principalType()));
    field(ID, d.principal());
    field(NAME, usesOwnName(d.identifiedBy()) ? d.credentialId() : d.principal());
    field(API_KEY_ID, d.keyId());
    json.writeEndObject();
    field(RAW_DETAILS, rawDetails);
    field(X_FORWARDED_FOR, address(call.peer()));
    field(EMIT_TIME, entry.time().toString());
    field(LOG_ID, UUID.randomUUID().toString());
    field(ASYNC_OPERATION_ID, call.requestId());
    field(STATUS, d.status().name());
    json.writeFieldName(VERSION_FIELD);
    json.writeNumber(VERSION);
    json.writeEndObject();
  }

  /** The {@code raw_details} object as text. */
  private String rawDetails(AuditLog.Entry entry, String method) throws IOException {
    Decision d = entry.decision();
    detailsText.reset();
    try {
      details.writeStartObject();
      detail(METHOD, method);
      details.writeFieldName(NAMESPACES);
      details.writeStartArray();
      List<String> namespaces = d.namespaces();
      for (int i = 0; i < namespaces.size(); i++) {
        details.writeString(text(namespaces.get(i)));
      }
      details.writeEndArray();
      detail(DECISION, entry.verdict().label());
      detail(REASON, d.reason().label());
      detail(MESSAGE, d.message());
      detail(REQUIRED, d.required());
      detail(ROLE, d.role());
      detail(IDENTIFIED_BY, d.identifiedBy());
      detail(PEER, entry.call().peer());
      detail(POLICY_VERSION, d.policyVersion());
      Decision shadow = entry.shadow();
      if (shadow != null) {
        detail(SHADOW_DECISION, ShadowResult.of(d, shadow).label());
        detail(SHADOW_REASON, shadow.reason().label());
        detail(SHADOW_POLICY_VERSION, shadow.policyVersion());
      }
      details.writeEndObject();
      details.flush();
    } catch (IOException | RuntimeException e) {
      details = newGenerator(detailsText);
      throw e;
    }
    return detailsText.toString();
  }

  private void detail(SerializableString name, String value) throws IOException {
    details.writeFieldName(name);
    details.writeString(text(value));
  }

  /** Cloud's principal types: {@code user}, {@code serviceaccount}; empty when unknown. */
  private static String principalType(String type) {
    if ("service_account".equals(type)) {
      return "serviceaccount";
    }
    return "user".equals(type) ? type : "";
  }

  /** A JWT or certificate caller names itself (subject, certificate name); a key does not. */
  private static boolean usesOwnName(String identifiedBy) {
    return "jwt".equals(identifiedBy) || "mtls".equals(identifiedBy);
  }

  /**
   * The IP address of a peer as {@link java.net.InetSocketAddress#toString()} writes it
   * ({@code host/1.2.3.4:5678}, {@code /[::1]:5678}); anything else as given.
   */
  static String address(String peer) {
    if (peer == null) {
      return "";
    }
    int slash = peer.indexOf('/');
    int colon = peer.lastIndexOf(':');
    if (slash < 0 || colon < slash) {
      return peer;
    }
    String host = peer.substring(slash + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }
}
