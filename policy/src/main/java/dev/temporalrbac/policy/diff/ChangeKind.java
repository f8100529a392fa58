package dev.temporalrbac.policy.diff;

/**
 * What a {@link Change} is about. The first four are effective (what the principal may do, or
 * which credentials and certificates identify it) and land in gains or losses; the last four are
 * the policy's structure behind them and are only ever listed as neutral changes, since their
 * effect, if any, is already a gain or loss of the first kinds.
 */
public enum ChangeKind {
  /** The principal itself: added, removed, or its type changed. */
  PRINCIPAL("principal"),
  /** The account methods its account roles (own and groups') let it call. */
  ACCOUNT("account"),
  /** Its effective permission on one namespace, or on every namespace (subject {@code *}). */
  NAMESPACE("namespace"),
  /** Which client certificates may identify it ({@code certificate_filters}). */
  CERTIFICATE_FILTER("certificate_filter"),
  /** One of its API keys: added, removed, disabled, expired, moved, re-keyed. */
  API_KEY("api_key"),
  /** Its declared account role, or its namespace scope. */
  ROLE("role"),
  /** One of its own namespace grants. */
  GRANT("grant"),
  /** A group it joins or leaves, or a change to a group it stays in. */
  GROUP("group"),
  /** A namespace it created: {@code created_by} or {@code creator_admin}. */
  NAMESPACE_FACT("namespace_fact");

  private final String label;

  ChangeKind(String label) {
    this.label = label;
  }

  /** The name used in JSON output, e.g. {@code api_key}. */
  public String label() {
    return label;
  }
}
