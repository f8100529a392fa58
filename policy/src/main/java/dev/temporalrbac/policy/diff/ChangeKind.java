package dev.temporalrbac.policy.diff;

/**
 * What a {@link Change} is about. The first six are effective (what the principal or group may
 * do, or which credentials and certificates identify it) and are listed as gains or losses; three
 * of them are also listed as neutral changes when they give and take nothing: {@code principal}
 * (its type changed), {@code namespace_id} (an id now names another namespace on which it holds
 * the same permission) and {@code api_key} (e.g. a key that is unusable in both versions). The
 * last four are the policy's structure behind them and are only ever listed as neutral changes,
 * since their effect, if any, is already a gain or loss of the first kinds.
 */
public enum ChangeKind {
  /** The principal itself: added, removed, or its type changed. */
  PRINCIPAL("principal"),
  /** The account methods its account roles (own and groups') let it call. */
  ACCOUNT("account"),
  /** Its effective permission on one namespace, or on every namespace (subject {@code *}). */
  NAMESPACE("namespace"),
  /**
   * Calls that name a namespace only by id (subject: the id): allowed for a non-admin only when
   * the policy maps the id to a name it holds a permission on (PERMISSIONS.md §5).
   */
  NAMESPACE_ID("namespace_id"),
  /** Which client certificates may identify it ({@code certificate_filters}). */
  CERTIFICATE_FILTER("certificate_filter"),
  /** One of its API keys: added, removed, disabled, expired, moved, re-keyed. */
  API_KEY("api_key"),
  /** Its declared account role, or its namespace scope. */
  ROLE("role"),
  /** One of its own namespace grants. */
  GRANT("grant"),
  /**
   * A group it joins or leaves, or a change to a group it stays in; for a group's own entry, the
   * group's definition before and after.
   */
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
