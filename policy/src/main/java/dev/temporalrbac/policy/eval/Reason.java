package dev.temporalrbac.policy.eval;

import java.util.Locale;

/**
 * Why a decision came out as it did: a bounded set, so it can label a metric. Each reason maps to
 * exactly one status.
 */
public enum Reason {
  ALLOWED(StatusCode.OK),
  NO_CREDENTIALS(StatusCode.UNAUTHENTICATED),
  MULTIPLE_CREDENTIALS(StatusCode.UNAUTHENTICATED),
  /** An authorization header not of the form {@code Bearer <credential>} (RFC 6750). */
  MALFORMED_CREDENTIALS(StatusCode.UNAUTHENTICATED),
  UNKNOWN_KEY(StatusCode.UNAUTHENTICATED),
  KEY_DISABLED(StatusCode.UNAUTHENTICATED),
  KEY_EXPIRED(StatusCode.UNAUTHENTICATED),
  UNKNOWN_PRINCIPAL(StatusCode.UNAUTHENTICATED),
  UNKNOWN_METHOD(StatusCode.PERMISSION_DENIED),
  MALFORMED_REQUEST(StatusCode.INVALID_ARGUMENT),
  MISSING_ROLE(StatusCode.PERMISSION_DENIED),
  MISSING_NAMESPACE_PERMISSION(StatusCode.PERMISSION_DENIED),
  NO_NAMESPACE(StatusCode.PERMISSION_DENIED),
  UNKNOWN_NAMESPACE_ID(StatusCode.PERMISSION_DENIED),
  NOT_OWN_API_KEY(StatusCode.PERMISSION_DENIED),
  SERVICE_ACCOUNT_SCOPE(StatusCode.PERMISSION_DENIED),
  INVALID_SERVICE_ACCOUNT_SPEC(StatusCode.INVALID_ARGUMENT),
  TAGS_NEED_ADMIN(StatusCode.PERMISSION_DENIED),
  NO_POLICY(StatusCode.UNAVAILABLE);

  private final StatusCode status;

  Reason(StatusCode status) {
    this.status = status;
  }

  public StatusCode status() {
    return status;
  }

  /** Metric label form, e.g. {@code missing_role}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
