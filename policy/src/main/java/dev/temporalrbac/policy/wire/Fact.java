package dev.temporalrbac.policy.wire;

/**
 * A thing the evaluator needs to know about a request, read from its bytes. Namespace facts are
 * many-valued: every occurrence counts (PERMISSIONS.md §5). The other string facts are
 * single-valued: a request whose occurrences of one disagree is malformed, so no parser can read a
 * value the runtime rules did not check.
 */
public enum Fact {
  /** A namespace the call acts on (any depth; every occurrence, even one a parser overwrites). */
  NAMESPACE(Kind.STRING, "namespace"),
  /** A namespace named by id only ({@code DescribeNamespace.id}, {@code namespace_id}). */
  NAMESPACE_ID(Kind.STRING, "namespace id"),
  /** API key owner: {@code spec.owner_id} or {@code GetApiKeys.owner_id}. */
  OWNER_ID(Kind.STRING, "owner_id"),
  /** API key id of Get/Update/DeleteApiKey. */
  KEY_ID(Kind.STRING, "key_id"),
  /** Service account id of Get/Update/Delete/SetServiceAccount... */
  SERVICE_ACCOUNT_ID(Kind.STRING, "service_account_id"),
  /** {@code spec.access} is present: the service account is account-scoped. */
  ACCOUNT_ACCESS(Kind.PRESENCE, "spec.access"),
  /** {@code spec.namespace_scoped_access} is present. */
  SCOPED_ACCESS(Kind.PRESENCE, "spec.namespace_scoped_access"),
  /** {@code spec.namespace_scoped_access.namespace}. */
  SCOPED_NAMESPACE(Kind.STRING, "spec.namespace_scoped_access.namespace"),
  /** Cloud {@code CreateNamespace.tags} has at least one entry. */
  TAGS(Kind.PRESENCE, "tags");

  /** How a fact is read from its field. */
  public enum Kind {
    /** The value(s) of a string field: every occurrence is reported. */
    STRING,
    /** Whether a message, map or repeated field occurs at all (any occurrence counts). */
    PRESENCE
  }

  private final Kind kind;
  private final String field;

  Fact(Kind kind, String field) {
    this.kind = kind;
    this.field = field;
  }

  /** The field the fact is read from, as messages name it. */
  public String field() {
    return field;
  }

  public Kind kind() {
    return kind;
  }
}
