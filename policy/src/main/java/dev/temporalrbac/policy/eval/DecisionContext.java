package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.wire.RequestFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Collects what one decision is about while it is made; turns into a {@link Decision}. One per
 * thread, {@link #reset} before each decision, so deciding allocates only the result. Not
 * thread-safe.
 */
final class DecisionContext {
  /** What the request body names; cleared by the authorizer before it reads a body into it. */
  final RequestFacts facts = new RequestFacts();
  String method;
  String policyVersion;
  /** The authenticated caller's rights; null until authentication succeeds. */
  EffectiveRights rights;
  /** How the caller was identified; null until known. */
  IdentifiedBy identifiedBy;
  /** Which credential: API key id, JWT subject, certificate name; empty until known. */
  String credentialId;
  /** The namespaces the call names: the first inline (the common case), the rest in a list. */
  private String firstNamespace;
  private List<String> moreNamespaces;
  /** Mirrors {@link #moreNamespaces} once it is long, so a body naming many stays linear. */
  private HashSet<String> manyNamespaces;
  String required;
  String allowMessage;
  boolean filterNamespaceList;
  private Reason reason;
  private String message;

  /** Clears everything from the previous decision on this thread. Returns this. */
  DecisionContext reset(String method, String policyVersion) {
    this.method = method;
    this.policyVersion = policyVersion;
    rights = null;
    identifiedBy = null;
    credentialId = "";
    firstNamespace = null;
    moreNamespaces = null;
    manyNamespaces = null;
    required = "";
    allowMessage = "allowed";
    filterNamespaceList = false;
    reason = null;
    message = null;
    return this;
  }

  /** Records a deny; the first one recorded stands. Always returns false, for {@code return ctx.fail(...)}. */
  boolean fail(Reason reason, String message) {
    if (this.reason == null) {
      this.reason = reason;
      this.message = message;
    }
    return false;
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
    } else if (manyNamespaces != null) {
      if (manyNamespaces.add(namespace)) {
        moreNamespaces.add(namespace);
      }
    } else if (!moreNamespaces.contains(namespace)) {
      moreNamespaces.add(namespace);
      if (moreNamespaces.size() > 8) {
        manyNamespaces = new HashSet<>(moreNamespaces);
      }
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

  /** Who the call is by, for messages: principal id, role, and how it was identified. */
  String who() {
    if (rights == null) {
      return "the caller";
    }
    return rights.principalId() + " (" + rights.roleLabel() + via() + ")";
  }

  /** {@code , by JWT subject x} and the like; empty for principals named by an operator. */
  private String via() {
    if (identifiedBy == null) {
      return "";
    }
    switch (identifiedBy) {
      case API_KEY:
        return ", by API key " + credentialId;
      case JWT:
        return ", by JWT subject " + credentialId;
      case MTLS:
        return ", by client certificate " + credentialId;
      default:
        return "";
    }
  }

  Decision toDecision() {
    boolean allowed = reason == null;
    Decision decision = new Decision(
        allowed ? Outcome.ALLOW : Outcome.DENY,
        allowed ? Reason.ALLOWED : reason,
        allowed ? allowMessage : message,
        method,
        rights == null ? "" : rights.principalId(),
        rights == null ? "" : rights.typeLabel(),
        rights == null ? "" : rights.roleLabel(),
        identifiedBy == null ? "" : identifiedBy.label(),
        credentialId,
        namespaceList(), required, policyVersion, filterNamespaceList, rights);
    // Drop references so the per-thread context does not keep a snapshot's objects alive.
    reset("", "");
    return decision;
  }
}
