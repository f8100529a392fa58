package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.catalog.Scope;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.MalformedRequestException;
import dev.temporalrbac.policy.wire.RequestFacts;
import dev.temporalrbac.policy.wire.RequestReader;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides one call: authenticate, find the method's rule, read what the request names from its
 * bytes, check roles, namespace permissions and runtime behaviours. Fails closed: no policy, no
 * credentials, an unknown method or an unreadable body are denials with their own reasons.
 *
 * <p>The same code decides on the wire and in {@code explain}. Thread-safe and lock-free; the
 * policy snapshot is passed in, so a call is decided wholly under one version.
 */
public final class Authorizer {
  private static final byte[] EMPTY = new byte[0];

  /**
   * The context a decision is collected in (and the facts read from the body), one per thread:
   * reset at the start of each decision and not referenced once {@link DecisionContext#toDecision}
   * has copied it into the result, so deciding allocates only the result.
   */
  private static final ThreadLocal<DecisionContext> CONTEXTS =
      ThreadLocal.withInitial(DecisionContext::new);

  private final MethodCatalog catalog;
  private final Authenticator authenticator;
  private final Identities identities;
  /** Per catalog entry, built once: what it requires, and the message of an allow. */
  private final String[] requirements;
  private final String[] allowMessages;

  /** An authorizer whose callers are identified by the policy's API keys only. */
  public Authorizer(MethodCatalog catalog, Clock clock) {
    this(catalog, clock, Identities.apiKeysOnly());
  }

  /** An authorizer that also accepts the JWTs and client certificates {@code identities} names. */
  public Authorizer(MethodCatalog catalog, Clock clock, Identities identities) {
    this.catalog = catalog;
    this.identities = identities;
    this.authenticator = new Authenticator(clock, identities);
    this.requirements = new String[catalog.size()];
    this.allowMessages = new String[catalog.size()];
    for (CatalogEntry entry : catalog.entries()) {
      requirements[entry.index()] = entry.rule().requirement();
      allowMessages[entry.index()] = "allowed: " + shortName(entry.rule()) + " needs "
          + requirements[entry.index()];
    }
  }

  public MethodCatalog catalog() {
    return catalog;
  }

  /** The credentials accepted besides API keys. */
  public Identities identities() {
    return identities;
  }

  /** Lower-case hex SHA-256 of an API key secret, the form the policy file stores. */
  public static String hashSecret(String secret) {
    return Authenticator.sha256Hex(secret);
  }

  /**
   * Decides a call.
   *
   * @param policy the snapshot in force; null means none is loaded (every call is denied)
   * @param caller how the caller identified itself
   * @param fullMethod the gRPC method name, {@code package.Service/Method}
   * @param body the serialized request message; null is read as an empty message
   * @param headerNamespace the {@code temporal-namespace} header, or null
   */
  public Decision decide(PolicySnapshot policy, Caller caller, String fullMethod, byte[] body,
      String headerNamespace) {
    return decide(policy, caller, fullMethod, body, headerNamespace, List.of());
  }

  /**
   * Decides a call that may carry several {@code temporal-namespace} header values: each names
   * one more namespace to authorize.
   */
  public Decision decideWithHeaders(PolicySnapshot policy, Caller caller, String fullMethod,
      byte[] body, List<String> headerNamespaces) {
    return decide(policy, caller, fullMethod, body, null, headerNamespaces);
  }

  /**
   * The denial of a call whose caller does not authenticate under {@code policy} (as {@link
   * #decide} would answer it, whatever its body), or null when the caller authenticates. Lets a
   * call be refused at its headers, before any of its body is read or buffered, with one
   * authentication: a refused token costs one signature check. Thread-safe; allocates nothing
   * when the caller authenticates by API key.
   */
  public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String fullMethod) {
    DecisionContext ctx = CONTEXTS.get().reset(fullMethod, policy == null ? "" : policy.version());
    if (policy == null) {
      ctx.fail(Reason.NO_POLICY, "no policy is loaded, so every call is denied until one is");
      return ctx.toDecision();
    }
    CatalogEntry entry = catalog.find(fullMethod);
    if (entry != null) {
      ctx.required = requirements[entry.index()];
    }
    if (entry != null && entry.rule().scope() == Scope.PUBLIC) {
      // open to anyone: only malformed or repeated headers are refused, as decide does
      return authenticator.wellFormed(caller, ctx) ? cleared(ctx) : ctx.toDecision();
    }
    if (authenticator.authenticate(policy, caller, ctx) != null) {
      return cleared(ctx);
    }
    return ctx.toDecision();
  }

  /**
   * Whether {@code refusal}, this authorizer's refusal of {@code caller} under one policy (by
   * {@link #decide} or {@link #refusalAtHeaders}), holds under {@code other} as well, known without
   * authenticating the caller again. True when it concerns the credential as the identity
   * settings (shared by every policy) judge it: the authorization headers' form, a certificate
   * without a usable name, a token that fails its checks (unless {@code other} holds the bearer
   * value as an API key, which is looked up first). False when the answer depends on the policy
   * (no policy, an unknown, disabled or expired key, an unknown principal or token subject, a
   * certificate's principal or filters, any denial after authentication) or {@code refusal}
   * allows. Lets a second policy (a shadow) be asked only when its answer may differ, so a token
   * that fails is verified once. Thread-safe; verifies nothing.
   *
   * @param other a loaded policy snapshot
   */
  public boolean refusalHoldsUnder(PolicySnapshot other, Caller caller, Decision refusal) {
    return !refusal.allowed() && authenticator.refusalHoldsUnder(other, caller, refusal.reason());
  }

  /** No refusal: the context keeps no reference to the snapshot's objects. Returns null. */
  private static Decision cleared(DecisionContext ctx) {
    ctx.reset("", "");
    return null;
  }

  /** One header value or a list of them (the single value avoids building a list per call). */
  private Decision decide(PolicySnapshot policy, Caller caller, String fullMethod, byte[] body,
      String headerNamespace, List<String> headerNamespaces) {
    DecisionContext ctx = CONTEXTS.get().reset(fullMethod, policy == null ? "" : policy.version());
    if (policy == null) {
      ctx.fail(Reason.NO_POLICY, "no policy is loaded, so every call is denied until one is");
      return ctx.toDecision();
    }
    CatalogEntry entry = catalog.find(fullMethod);
    if (entry != null) {
      ctx.required = requirements[entry.index()];
      ctx.allowMessage = allowMessages[entry.index()];
    }
    if (entry != null && entry.rule().scope() == Scope.PUBLIC) {
      authenticator.wellFormed(caller, ctx); // open to anyone, but not to malformed headers
      return ctx.toDecision();
    }
    ctx.rights = authenticator.authenticate(policy, caller, ctx);
    if (ctx.rights == null) {
      return ctx.toDecision();
    }
    if (entry == null) {
      ctx.fail(Reason.UNKNOWN_METHOD, "no rule for method " + fullMethod + ": the proxy denies"
          + " methods it does not know (fail closed)");
      return ctx.toDecision();
    }
    MethodRule rule = entry.rule();
    RequestFacts facts = ctx.facts;
    facts.clear();
    facts.useKnownNames(policy.namespaceNames());
    if (entry.needsBody()) {
      try {
        RequestReader.read(entry.plan(), body == null ? EMPTY : body, facts);
      } catch (MalformedRequestException e) {
        ctx.fail(Reason.MALFORMED_REQUEST, "the request body of " + fullMethod
            + " could not be read as " + entry.plan().requestType().getFullName() + ": "
            + e.getMessage());
        return ctx.toDecision();
      }
    }
    switch (rule.scope()) {
      case AUTHENTICATED:
        ctx.filterNamespaceList = rule.behaviour()
            == dev.temporalrbac.policy.catalog.Behaviour.FILTER_NAMESPACE_LIST;
        break;
      case ACCOUNT:
        if (accountRoleAllowed(rule, ctx)) {
          RuntimeBehaviours.check(entry, facts, policy, ctx);
        }
        break;
      case NAMESPACE:
        namespacesAllowed(rule, facts, headerNamespace, headerNamespaces, policy, ctx);
        break;
      default:
        throw new AssertionError(rule.scope());
    }
    return ctx.toDecision();
  }

  private static boolean accountRoleAllowed(MethodRule rule, DecisionContext ctx) {
    EffectiveRights rights = ctx.rights;
    if (rights.principal().isNamespaceScoped()) {
      return rule.allowsEveryRole() || ctx.fail(Reason.MISSING_ROLE, ctx.rights.principalId()
          + " is a namespace-scoped service account: at account level it may call only methods"
          + " every role may call, and " + shortName(rule) + " needs " + rolesOf(rule));
    }
    return rights.holdsAnyRole(rule.roles()) || ctx.fail(Reason.MISSING_ROLE, ctx.who()
        + " may not call " + shortName(rule) + ": it needs the role " + rolesOf(rule));
  }

  private static void namespacesAllowed(MethodRule rule, RequestFacts facts, String header,
      List<String> headers, PolicySnapshot policy, DecisionContext ctx) {
    for (int i = 0; i < facts.namespaceCount(); i++) {
      ctx.addNamespace(facts.namespace(i));
    }
    if (header != null) {
      ctx.addNamespace(header);
    }
    for (int i = 0; i < headers.size(); i++) {
      ctx.addNamespace(headers.get(i));
    }
    String unmappedId = null;
    for (int i = 0; i < facts.namespaceIdCount(); i++) {
      String id = facts.namespaceId(i);
      String name = policy.namespaceNameForId(id);
      if (name == null) {
        unmappedId = id;
      } else {
        ctx.addNamespace(name);
      }
    }
    EffectiveRights rights = ctx.rights;
    if (rights.isAdminEverywhere()) {
      return;
    }
    if (unmappedId != null) {
      ctx.fail(Reason.UNKNOWN_NAMESPACE_ID, shortName(rule) + " names namespace id " + unmappedId
          + ", which the policy does not map to a name; only global_admin and account_owner may"
          + " call it so (add the id under namespaces: in the policy)");
      return;
    }
    if (ctx.namespaceCount() == 0) {
      ctx.fail(Reason.NO_NAMESPACE, shortName(rule) + " names no namespace (body field or"
          + " temporal-namespace header); only global_admin and account_owner may call it so");
      return;
    }
    NamespacePermission needed = rule.permission();
    for (int i = 0; i < ctx.namespaceCount(); i++) {
      String namespace = ctx.namespace(i);
      NamespacePermission held = rights.permissionOn(namespace);
      if (held == null || !held.includes(needed)) {
        ctx.fail(Reason.MISSING_NAMESPACE_PERMISSION, ctx.who() + " may not call "
            + shortName(rule) + " on namespace " + namespace + ": it needs " + needed.yamlName()
            + " there and holds " + (held == null ? "no permission" : held.yamlName()));
        return;
      }
    }
    NamespacePermission everywhere = rights.everywhere();
    if (facts.unlistedDropped() && (everywhere == null || !everywhere.includes(needed))) {
      ctx.fail(Reason.MISSING_NAMESPACE_PERMISSION, shortName(rule) + " names more than "
          + RequestFacts.MAX_UNLISTED + " namespaces the policy does not list, which cannot all be"
          + " checked by name; only a caller holding " + needed.yamlName() + " on every namespace"
          + " may call it so");
      return;
    }
  }

  private static String shortName(MethodRule rule) {
    return rule.service().shortName() + "/" + rule.method();
  }

  private static String rolesOf(MethodRule rule) {
    return rule.roles().stream().map(AccountRole::yamlName).collect(Collectors.joining(" or "));
  }
}
