package dev.temporalrbac.policy.wire;

/** A thing the evaluator needs to know about a request, read from its bytes. */
public enum Fact {
  /** A namespace the call acts on (any depth; every occurrence that survives last-wins). */
  NAMESPACE(Kind.STRING),
  /** A namespace named by id only ({@code DescribeNamespace.id}, {@code namespace_id}). */
  NAMESPACE_ID(Kind.STRING),
  /** API key owner: {@code spec.owner_id} or {@code GetApiKeys.owner_id}. */
  OWNER_ID(Kind.STRING),
  /** API key id of Get/Update/DeleteApiKey. */
  KEY_ID(Kind.STRING),
  /** Service account id of Get/Update/Delete/SetServiceAccount... */
  SERVICE_ACCOUNT_ID(Kind.STRING),
  /** {@code spec.access} is present: the service account is account-scoped. */
  ACCOUNT_ACCESS(Kind.PRESENCE),
  /** {@code spec.namespace_scoped_access} is present. */
  SCOPED_ACCESS(Kind.PRESENCE),
  /** {@code spec.namespace_scoped_access.namespace}. */
  SCOPED_NAMESPACE(Kind.STRING),
  /** Cloud {@code CreateNamespace.tags} has at least one entry. */
  TAGS(Kind.PRESENCE);

  /** How a fact is read from its field. */
  public enum Kind {
    /** The value of a string field, last occurrence wins. */
    STRING,
    /** Whether a message, map or repeated field occurs at all. */
    PRESENCE
  }

  private final Kind kind;

  Fact(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
