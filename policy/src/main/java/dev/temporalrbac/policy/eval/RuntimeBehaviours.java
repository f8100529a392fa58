package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import dev.temporalrbac.policy.model.PrincipalType;
import dev.temporalrbac.policy.wire.Fact;
import dev.temporalrbac.policy.wire.RequestFacts;

/**
 * The rules of PERMISSIONS.md §4 that look inside account-level requests: own API keys, service
 * account scope, and tags on {@code CreateNamespace}. Each check runs after the role check passed
 * and returns false after recording a deny on the context. Stateless.
 */
final class RuntimeBehaviours {
  private static final String ADMINS = "global_admin or account_owner";

  private RuntimeBehaviours() {}

  static boolean check(CatalogEntry entry, RequestFacts facts, PolicySnapshot policy,
      DecisionContext ctx) {
    switch (entry.rule().behaviour()) {
      case API_KEY_OWNERSHIP:
        return ownApiKey(facts, policy, ctx);
      case SERVICE_ACCOUNT_SCOPE:
        return serviceAccountScope(entry, facts, policy, ctx);
      case TAGS_NEED_ADMIN:
        return !facts.present(Fact.TAGS) || ctx.rights.isAdminEverywhere()
            || ctx.fail(Reason.TAGS_NEED_ADMIN, ctx.who() + " may not set tags when creating a"
                + " namespace: that needs " + ADMINS + "; create it without tags");
      default:
        return true;
    }
  }

  /** Every role manages its own keys; admins manage any. "Own" must be provable. */
  private static boolean ownApiKey(RequestFacts facts, PolicySnapshot policy, DecisionContext ctx) {
    if (ctx.rights.isAdminEverywhere()) {
      return true;
    }
    String me = ctx.rights.principalId();
    if (policy.principal(me) == null) {
      // a token user: its subject is the identity provider's word, not a principal the policy
      // vouches for, so it cannot prove any key its own
      return ctx.fail(Reason.NOT_OWN_API_KEY, ctx.who() + " is a token user, not a user or service"
          + " account of the policy, so no API key can be shown to be its own; only " + ADMINS
          + " manage API keys for it");
    }
    boolean named = false;
    if (facts.present(Fact.OWNER_ID)) {
      named = true;
      String owner = facts.value(Fact.OWNER_ID);
      if (!owner.equals(me)) {
        return ctx.fail(Reason.NOT_OWN_API_KEY, ctx.who() + " may manage only its own API keys,"
            + " but the request names owner " + owner + "; only " + ADMINS + " manage others' keys");
      }
    }
    if (facts.present(Fact.KEY_ID)) {
      named = true;
      String keyId = facts.value(Fact.KEY_ID);
      ApiKey key = policy.keyById(keyId);
      if (key == null) {
        return ctx.fail(Reason.NOT_OWN_API_KEY, "API key " + keyId + " is not in the policy, so it"
            + " cannot be shown to belong to " + me + "; only " + ADMINS + " may act on it");
      }
      if (!key.owner().equals(me)) {
        return ctx.fail(Reason.NOT_OWN_API_KEY, "API key " + keyId + " belongs to " + key.owner()
            + "; " + ctx.who() + " may manage only its own API keys");
      }
    }
    return named || ctx.fail(Reason.NOT_OWN_API_KEY, "the request names no key owner or key id,"
        + " so it cannot be shown to act on " + me + "'s own keys; set the owner id to " + me);
  }

  /**
   * Reads (the rule table marks them {@link dev.temporalrbac.policy.catalog.MethodRule#readOnly})
   * are open to every role. Account-scoped accounts are managed by admins; namespace-scoped ones
   * by that namespace's admins. An update must be allowed for the account as it is (by id, from
   * the policy) and as it would become (the spec).
   */
  private static boolean serviceAccountScope(CatalogEntry entry, RequestFacts facts,
      PolicySnapshot policy, DecisionContext ctx) {
    if (entry.rule().readOnly()) {
      return true;
    }
    boolean hasSpec = entry.plan().reads(Fact.ACCOUNT_ACCESS);
    boolean hasCurrent = entry.plan().reads(Fact.SERVICE_ACCOUNT_ID);
    if (hasSpec && !targetAllowed(facts, ctx)) {
      return false;
    }
    return !hasCurrent || currentAllowed(facts.value(Fact.SERVICE_ACCOUNT_ID), policy, ctx);
  }

  private static boolean targetAllowed(RequestFacts facts, DecisionContext ctx) {
    boolean account = facts.present(Fact.ACCOUNT_ACCESS);
    boolean scoped = facts.present(Fact.SCOPED_ACCESS);
    if (account == scoped) {
      return ctx.fail(Reason.INVALID_SERVICE_ACCOUNT_SPEC, "a service account spec must set exactly"
          + " one of access (account-scoped) and namespace_scoped_access; this one sets "
          + (account ? "both" : "neither"));
    }
    if (account) {
      return accountScopedAllowed(ctx);
    }
    String namespace = facts.value(Fact.SCOPED_NAMESPACE);
    if (namespace.isEmpty()) {
      return ctx.fail(Reason.INVALID_SERVICE_ACCOUNT_SPEC,
          "spec.namespace_scoped_access.namespace is empty: name the namespace");
    }
    return namespaceAdmin(namespace, ctx);
  }

  private static boolean currentAllowed(String id, PolicySnapshot policy, DecisionContext ctx) {
    Principal current = policy.principal(id);
    if (current == null || current.type() != PrincipalType.SERVICE_ACCOUNT) {
      return ctx.rights.isAdminEverywhere()
          || ctx.fail(Reason.SERVICE_ACCOUNT_SCOPE, "service account '" + id + "' is not in the"
              + " policy, so its scope is unknown; only " + ADMINS + " may manage it");
    }
    return current.isNamespaceScoped()
        ? namespaceAdmin(current.scoped().namespace(), ctx)
        : accountScopedAllowed(ctx);
  }

  private static boolean accountScopedAllowed(DecisionContext ctx) {
    return ctx.rights.isAdminEverywhere()
        || ctx.fail(Reason.SERVICE_ACCOUNT_SCOPE, ctx.who() + " may not manage account-scoped"
            + " service accounts: that needs " + ADMINS);
  }

  private static boolean namespaceAdmin(String namespace, DecisionContext ctx) {
    ctx.addNamespace(namespace);
    EffectiveRights rights = ctx.rights;
    NamespacePermission held = rights.permissionOn(namespace);
    if (held != null && held.includes(NamespacePermission.ADMIN)) {
      return true;
    }
    return ctx.fail(Reason.SERVICE_ACCOUNT_SCOPE, ctx.who() + " may not manage service accounts"
        + " scoped to namespace " + namespace + ": that needs admin there, and it holds "
        + (held == null ? "no permission" : held.yamlName()));
  }
}
