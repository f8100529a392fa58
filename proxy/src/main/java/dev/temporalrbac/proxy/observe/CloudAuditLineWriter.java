package dev.temporalrbac.proxy.observe;

import static dev.temporalrbac.proxy.observe.AuditFields.API_KEY_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.ASYNC_OPERATION_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.DECISION;
import static dev.temporalrbac.proxy.observe.AuditFields.EMIT_TIME;
import static dev.temporalrbac.proxy.observe.AuditFields.ID;
import static dev.temporalrbac.proxy.observe.AuditFields.IDENTIFIED_BY;
import static dev.temporalrbac.proxy.observe.AuditFields.LOG_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.MESSAGE;
import static dev.temporalrbac.proxy.observe.AuditFields.METHOD;
import static dev.temporalrbac.proxy.observe.AuditFields.NAME;
import static dev.temporalrbac.proxy.observe.AuditFields.OPERATION;
import static dev.temporalrbac.proxy.observe.AuditFields.PEER;
import static dev.temporalrbac.proxy.observe.AuditFields.POLICY_VERSION;
import static dev.temporalrbac.proxy.observe.AuditFields.PRINCIPAL;
import static dev.temporalrbac.proxy.observe.AuditFields.RAW_DETAILS;
import static dev.temporalrbac.proxy.observe.AuditFields.REASON;
import static dev.temporalrbac.proxy.observe.AuditFields.REQUIRED;
import static dev.temporalrbac.proxy.observe.AuditFields.ROLE;
import static dev.temporalrbac.proxy.observe.AuditFields.STATUS;
import static dev.temporalrbac.proxy.observe.AuditFields.TYPE;
import static dev.temporalrbac.proxy.observe.AuditFields.X_FORWARDED_FOR;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.server.CallInfo;
import java.io.CharArrayWriter;
import java.io.IOException;
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
 *       {@code role}, {@code identified_by}, {@code peer}, {@code policy_version}, and with a
 *       shadow policy's result (see {@link AuditLog}) {@code shadow_decision},
 *       {@code shadow_reason}, {@code shadow_policy_version}
 *   <li>{@code x_forwarded_for}: the caller's IP address as the proxy's connection sees it (the
 *       address part of the peer; the peer as given when it is not an IP socket address). A
 *       caller's own {@code X-Forwarded-For} header is not trusted and not copied
 *   <li>{@code emit_time}: RFC 3339 in UTC ({@code google.protobuf.Timestamp}'s JSON form)
 *   <li>{@code log_id}: a random UUID, unique per record
 *   <li>{@code async_operation_id}: the caller's {@code x-request-id}, or empty
 *   <li>{@code status}: the proxy's authorization result, the status of the operation the
 *       record is about (Cloud: "such as OK or ERROR"): {@code OK} when the proxy let the call
 *       through, a dry-run denial included ({@code raw_details.decision} is then
 *       {@code dry_run_deny}); for a call it refused, the gRPC status code name the refusal
 *       carries (e.g. {@code PERMISSION_DENIED}, {@code UNAUTHENTICATED}). It is not the
 *       upstream's answer: a forwarded call that then fails upstream is still {@code OK} here
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
  /** {@code raw_details} is written here first, then into the record as one string. */
  private final CharArrayWriter detailsText = new CharArrayWriter(256);
  private JsonGenerator details = newGenerator(detailsText);

  @Override
  void format(AuditLog.Entry entry) throws IOException {
    Decision d = entry.decision();
    CallInfo call = entry.call();
    String method = method(entry);
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
    field(STATUS, status(entry));
    json.writeFieldName(AuditFields.VERSION);
    json.writeNumber(VERSION);
    json.writeEndObject();
  }

  /** The {@code raw_details} object as text. */
  private String rawDetails(AuditLog.Entry entry, String method) throws IOException {
    Decision d = entry.decision();
    detailsText.reset();
    try {
      details.writeStartObject();
      field(details, METHOD, method);
      namespaces(details, d.namespaces());
      field(details, DECISION, entry.verdict().label());
      field(details, REASON, d.reason().label());
      field(details, MESSAGE, d.message());
      field(details, REQUIRED, d.required());
      field(details, ROLE, d.role());
      field(details, IDENTIFIED_BY, d.identifiedBy());
      field(details, PEER, entry.call().peer());
      field(details, POLICY_VERSION, d.policyVersion());
      shadowFields(details, entry);
      details.writeEndObject();
      details.flush();
    } catch (IOException | RuntimeException e) {
      details = newGenerator(detailsText);
      throw e;
    }
    return detailsText.toString();
  }

  /** {@code OK} unless the proxy refused the call: then the refusal's gRPC code name. */
  private static String status(AuditLog.Entry entry) {
    return entry.verdict() == Verdict.DENY ? entry.decision().status().name() : "OK";
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
