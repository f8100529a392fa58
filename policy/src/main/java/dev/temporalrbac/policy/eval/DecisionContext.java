package dev.temporalrbac.policy.eval;

import java.util.ArrayList;
import java.util.List;

/** Collects what one decision is about while it is made; turns into a {@link Decision}. */
final class DecisionContext {
  final String method;
  final String policyVersion;
  Identity identity;
  /** The namespaces the call names: the first inline (the common case), the rest in a list. */
  private String firstNamespace;
  private List<String> moreNamespaces;
  String required = "";
  String allowMessage = "allowed";
  boolean filterNamespaceList;
  private Reason reason;
  private String message;

  DecisionContext(String method, String policyVersion) {
    this.method = method;
    this.policyVersion = policyVersion;
  }

  /** Records a deny; the first one recorded stands. Always returns false, for {@code return ctx.fail(...)}. */
  boolean fail(Reason reason, String message) {
    if (this.reason == null) {
      this.reason = reason;
      this.message = message;
    }
    return false;
  }

  boolean failed() {
    return reason != null;
  }

  void addNamespace(String namespace) {
    if (namespace.isEmpty() || namespace.equals(firstNamespace)) {
      return;
    }
    if (firstNamespace == null) {
      firstNamespace = namespace;
    } else if (moreNamespaces == null) {
      moreNamespaces = new ArrayList<>(2);
      moreNamespaces.add(namespace);
    } else if (!moreNamespaces.contains(namespace)) {
      moreNamespaces.add(namespace);
    }
  }

  int namespaceCount() {
    return firstNamespace == null ? 0 : 1 + (moreNamespaces == null ? 0 : moreNamespaces.size());
  }

  String namespace(int index) {
    return index == 0 ? firstNamespace : moreNamespaces.get(index - 1);
  }

  private List<String> namespaceList() {
    if (firstNamespace == null) {
      return List.of();
    }
    if (moreNamespaces == null) {
      return List.of(firstNamespace);
    }
    List<String> all = new ArrayList<>(1 + moreNamespaces.size());
    all.add(firstNamespace);
    all.addAll(moreNamespaces);
    return all;
  }

  /** Who the call is by, for messages: principal id and role. */
  String who() {
    return identity == null ? "the caller"
        : identity.principalId() + " (" + identity.rights().roleLabel() + ")";
  }

  Decision toDecision() {
    boolean allowed = reason == null;
    String principal = identity == null ? "" : identity.principalId();
    String type = identity == null ? "" : identity.rights().principal().type().label();
    String role = identity == null ? "" : identity.rights().roleLabel();
    String keyId = identity == null ? "" : identity.keyId();
    return new Decision(
        allowed ? Outcome.ALLOW : Outcome.DENY,
        allowed ? Reason.ALLOWED : reason,
        allowed ? allowMessage : message,
        method, principal, type, role, keyId, namespaceList(), required, policyVersion,
        filterNamespaceList, identity == null ? null : identity.rights());
  }
}
