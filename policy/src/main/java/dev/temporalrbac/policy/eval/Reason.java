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
  /** A bearer value shaped as a JWT that is not one: bad encoding, JSON, or missing claims. */
  TOKEN_MALFORMED(StatusCode.UNAUTHENTICATED),
  /** A JWT signed (or not) with an algorithm outside {@code identity.jwt.algorithms}. */
  TOKEN_FORBIDDEN_ALGORITHM(StatusCode.UNAUTHENTICATED),
  /** A JWT whose {@code kid} is not in the JWKS (or names a key of another type than its alg). */
  TOKEN_UNKNOWN_KEY(StatusCode.UNAUTHENTICATED),
  TOKEN_BAD_SIGNATURE(StatusCode.UNAUTHENTICATED),
  TOKEN_EXPIRED(StatusCode.UNAUTHENTICATED),
  TOKEN_NOT_YET_VALID(StatusCode.UNAUTHENTICATED),
  TOKEN_WRONG_ISSUER(StatusCode.UNAUTHENTICATED),
  TOKEN_WRONG_AUDIENCE(StatusCode.UNAUTHENTICATED),
  /**
   * A token not yet verified arrived while {@code identity.jwt.max_verifications_per_second} was
   * spent: refused unchecked, so bogus tokens cannot take the proxy's CPU; the caller retries.
   */
  TOKEN_VERIFICATIONS_EXHAUSTED(StatusCode.RESOURCE_EXHAUSTED),
  /** A valid JWT whose subject is no principal, with {@code identity.jwt.default_role: none}. */
  TOKEN_UNKNOWN_SUBJECT(StatusCode.UNAUTHENTICATED),
  /**
   * A client certificate without a usable name of the kinds {@code identity.mtls.principal_from}
   * lists: none, or the first kind present is ambiguous (two SPIFFE ids, two CNs) or unreadable.
   */
  CERTIFICATE_NO_NAME(StatusCode.UNAUTHENTICATED),
  /** A client certificate naming no principal of the policy. */
  CERTIFICATE_UNKNOWN_PRINCIPAL(StatusCode.UNAUTHENTICATED),
  /** A client certificate matching none of its principal's certificate filters. */
  CERTIFICATE_FILTER_MISMATCH(StatusCode.UNAUTHENTICATED),
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
