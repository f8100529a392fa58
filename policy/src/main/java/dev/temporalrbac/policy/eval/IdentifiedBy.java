package dev.temporalrbac.policy.eval;

import java.util.Locale;

/**
 * How a caller was identified: the kind of credential its rights came from. A bounded set, so it
 * can label a metric and an audit field.
 */
public enum IdentifiedBy {
  /** An API key listed in the policy, sent as {@code authorization: Bearer <key>}. */
  API_KEY,
  /** A JWT verified against the configured JWKS, sent as {@code authorization: Bearer <jwt>}. */
  JWT,
  /** A verified TLS client certificate (no bearer credential was sent). */
  MTLS,
  /** A principal id given by an operator ({@code explain --principal}); never on the wire. */
  PRINCIPAL;

  /** The label, made once: it is read on every decision. */
  private final String label = name().toLowerCase(Locale.ROOT);

  /** Audit and metric form, e.g. {@code api_key}. */
  public String label() {
    return label;
  }
}
