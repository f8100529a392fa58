package dev.temporalrbac.proxy.observe;

import static dev.temporalrbac.proxy.observe.AuditFields.CREDENTIAL_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.DECISION;
import static dev.temporalrbac.proxy.observe.AuditFields.IDENTIFIED_BY;
import static dev.temporalrbac.proxy.observe.AuditFields.KEY_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.MESSAGE;
import static dev.temporalrbac.proxy.observe.AuditFields.METHOD;
import static dev.temporalrbac.proxy.observe.AuditFields.PEER;
import static dev.temporalrbac.proxy.observe.AuditFields.POLICY_VERSION;
import static dev.temporalrbac.proxy.observe.AuditFields.PRINCIPAL;
import static dev.temporalrbac.proxy.observe.AuditFields.PRINCIPAL_TYPE;
import static dev.temporalrbac.proxy.observe.AuditFields.REASON;
import static dev.temporalrbac.proxy.observe.AuditFields.REQUEST_ID;
import static dev.temporalrbac.proxy.observe.AuditFields.REQUIRED;
import static dev.temporalrbac.proxy.observe.AuditFields.ROLE;
import static dev.temporalrbac.proxy.observe.AuditFields.TIME;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.server.CallInfo;
import java.io.IOException;

/**
 * The proxy's own audit format ({@code audit.format: json}, the default): the fields
 * {@link AuditLog} documents, in that order; a record carrying a shadow policy's result ends
 * with the three {@code shadow_*} fields. A record's only allocation here is its time formatted
 * to a string. Threading: as {@link AuditLineWriter}.
 */
final class JsonAuditLineWriter extends AuditLineWriter {
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
    field(METHOD, method(entry));
    namespaces(json, d.namespaces());
    field(REQUIRED, d.required());
    field(PEER, call.peer());
    field(REQUEST_ID, call.requestId());
    field(POLICY_VERSION, d.policyVersion());
    shadowFields(json, entry);
    json.writeEndObject();
  }
}
