package dev.temporalrbac.proxy.observe;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The field names of audit records, encoded once for Jackson (a pre-encoded name costs no
 * escaping per record). One place for the names both formats share: the {@code json} format
 * writes them at the top level, the {@code cloud} format inside {@code raw_details}, and a
 * consumer of either finds the same spelling. Immutable constants.
 */
final class AuditFields {
  // both formats (json: top level; cloud: raw_details)
  static final SerializableString DECISION = name("decision");
  static final SerializableString REASON = name("reason");
  static final SerializableString MESSAGE = name("message");
  static final SerializableString ROLE = name("role");
  static final SerializableString IDENTIFIED_BY = name("identified_by");
  static final SerializableString METHOD = name("method");
  static final SerializableString NAMESPACES = name("namespaces");
  static final SerializableString REQUIRED = name("required");
  static final SerializableString PEER = name("peer");
  static final SerializableString POLICY_VERSION = name("policy_version");
  static final SerializableString SHADOW_DECISION = name("shadow_decision");
  static final SerializableString SHADOW_REASON = name("shadow_reason");
  static final SerializableString SHADOW_POLICY_VERSION = name("shadow_policy_version");
  /** json: the principal's id; cloud: the principal object. */
  static final SerializableString PRINCIPAL = name("principal");

  // json only
  static final SerializableString TIME = name("time");
  static final SerializableString PRINCIPAL_TYPE = name("principal_type");
  static final SerializableString CREDENTIAL_ID = name("credential_id");
  static final SerializableString KEY_ID = name("key_id");
  static final SerializableString REQUEST_ID = name("request_id");

  // cloud only (Temporal Cloud's LogRecord and Principal)
  static final SerializableString OPERATION = name("operation");
  static final SerializableString TYPE = name("type");
  static final SerializableString ID = name("id");
  static final SerializableString NAME = name("name");
  static final SerializableString API_KEY_ID = name("api_key_id");
  static final SerializableString RAW_DETAILS = name("raw_details");
  static final SerializableString X_FORWARDED_FOR = name("x_forwarded_for");
  static final SerializableString EMIT_TIME = name("emit_time");
  static final SerializableString LOG_ID = name("log_id");
  static final SerializableString ASYNC_OPERATION_ID = name("async_operation_id");
  static final SerializableString STATUS = name("status");
  static final SerializableString VERSION = name("version");

  private AuditFields() {}

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }
}
