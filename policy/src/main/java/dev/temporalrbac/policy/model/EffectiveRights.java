package dev.temporalrbac.policy.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a principal may do once its groups and creator grants are folded in (PERMISSIONS.md §2):
 * the union of its own and its groups' roles and namespace grants, Namespace Admin on every
 * namespace for Global Admin and Account Owner, Namespace Admin on each namespace a Developer
 * created until that grant is revoked. A namespace-scoped service account holds its one grant and
 * no role. Immutable; computed once per principal and snapshot (see {@link PolicySnapshot}).
 */
public final class EffectiveRights {
  private final Principal principal;
  private final Set<AccountRole> roles;
  /**
   * Grants as an open-addressing table of (name, permission) pairs in one array, probed by the
   * name's hash and compared by reference first: one array read per lookup, where a map would
   * read its table, a node and the key.
   */
  private final Object[] grantTable;
  private final int grantMask;
  private final boolean adminEverywhere;
  /** A permission held on every namespace (a token's {@code temporal-system} grant), or null. */
  private final NamespacePermission everywhere;
  /** Read on every decision; held here so a decision does not also touch the {@link Principal}. */
  private final String principalId;
  private final String typeLabel;
  private final String roleLabel;

  EffectiveRights(Principal principal, Set<AccountRole> roles,
      Map<String, NamespacePermission> grants) {
    this(principal, roles, grants, null);
  }

  EffectiveRights(Principal principal, Set<AccountRole> roles,
      Map<String, NamespacePermission> grants, NamespacePermission everywhere) {
    this.everywhere = everywhere;
    this.principal = principal;
    this.roles = roles.isEmpty()
        ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    AccountRole highest = null;
    for (AccountRole role : this.roles) { // enum order: the last is the highest ranked
      highest = role;
    }
    int capacity = grants.isEmpty() ? 0 : Integer.highestOneBit(grants.size() * 2 - 1) << 1;
    this.grantTable = new Object[capacity * 2];
    this.grantMask = capacity - 1;
    grants.forEach((name, permission) -> {
      int slot = spread(name.hashCode()) & grantMask;
      while (grantTable[slot * 2] != null) {
        slot = (slot + 1) & grantMask;
      }
      grantTable[slot * 2] = name;
      grantTable[slot * 2 + 1] = permission;
    });
    this.adminEverywhere = roles.contains(AccountRole.GLOBAL_ADMIN)
        || roles.contains(AccountRole.ACCOUNT_OWNER);
    this.principalId = principal.id();
    this.typeLabel = principal.type().label();
    this.roleLabel = highest == null ? "namespace_scoped" : highest.yamlName();
  }

  /**
   * Folds the principal's groups and creator grants in, keying grants by {@code canonical}'s
   * instance of each namespace name, so a lookup with that same instance compares references.
   */
  static EffectiveRights compute(Principal principal, Map<String, Group> groups,
      Iterable<String> createdNamespaces, UnaryOperator<String> canonical) {
    return compute(principal, groups, createdNamespaces, canonical, null);
  }

  /**
   * As {@link #compute(Principal, Map, Iterable, UnaryOperator)}, with a token's claims folded in
   * when {@code claims} is not null: its groups join the principal's, its namespace grants and
   * its everywhere grant add to the principal's, and a system admin claim adds Global Admin. A
   * namespace-scoped service account keeps exactly its one namespace: a token naming it adds
   * nothing (its scope is what the policy promises about it).
   */
  static EffectiveRights compute(Principal principal, Map<String, Group> groups,
      Iterable<String> createdNamespaces, UnaryOperator<String> canonical,
      ClaimedRights claims) {
    if (principal.isNamespaceScoped()) {
      ScopedGrant scoped = principal.scoped();
      return new EffectiveRights(principal, EnumSet.noneOf(AccountRole.class),
          Map.of(canonical.apply(scoped.namespace()), scoped.permission()));
    }
    EnumSet<AccountRole> roles = EnumSet.of(principal.role());
    Map<String, NamespacePermission> grants = new HashMap<>();
    principal.namespaces().forEach((ns, permission) -> grants.put(canonical.apply(ns), permission));
    List<String> memberOf = principal.groups();
    if (claims != null) {
      memberOf = new ArrayList<>(memberOf);
      memberOf.addAll(claims.groups());
      claims.namespaces().forEach((ns, permission) ->
          grants.merge(canonical.apply(ns), permission, NamespacePermission::max));
      if (claims.systemAdmin()) {
        roles.add(AccountRole.GLOBAL_ADMIN);
      }
    }
    for (String groupId : memberOf) {
      Group group = groups.get(groupId);
      if (group == null) {
        continue;
      }
      roles.add(group.role());
      group.namespaces().forEach((ns, permission) ->
          grants.merge(canonical.apply(ns), permission, NamespacePermission::max));
    }
    if (roles.contains(AccountRole.DEVELOPER)) {
      for (String namespace : createdNamespaces) {
        grants.put(canonical.apply(namespace), NamespacePermission.ADMIN);
      }
    }
    return new EffectiveRights(principal, roles, grants,
        claims == null ? null : claims.everywhere());
  }

  public Principal principal() {
    return principal;
  }

  /** Every account role it holds (own and groups'); empty for a namespace-scoped account. */
  public Set<AccountRole> roles() {
    return roles;
  }

  /** Role name for messages: the highest role, or {@code namespace_scoped}. */
  public String roleLabel() {
    return roleLabel;
  }

  /** The principal's id (same as {@code principal().id()}). */
  public String principalId() {
    return principalId;
  }

  /** {@code user} or {@code service_account} (same as {@code principal().type().label()}). */
  public String typeLabel() {
    return typeLabel;
  }

  /** True for Global Admin and Account Owner: Namespace Admin everywhere, every account method. */
  public boolean isAdminEverywhere() {
    return adminEverywhere;
  }

  /** True when some role it holds is in {@code allowed}. */
  public boolean holdsAnyRole(Set<AccountRole> allowed) {
    for (AccountRole role : roles) {
      if (allowed.contains(role)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The permission it holds on every namespace, listed in the policy or not: ADMIN for Global
   * Admin and Account Owner, a token's {@code temporal-system} grant, or null.
   */
  public NamespacePermission everywhere() {
    return adminEverywhere ? NamespacePermission.ADMIN : everywhere;
  }

  /** Its permission on a namespace, or null for none. */
  public NamespacePermission permissionOn(String namespace) {
    if (adminEverywhere) {
      return NamespacePermission.ADMIN;
    }
    if (grantMask < 0) {
      return everywhere;
    }
    if (everywhere != null) {
      return NamespacePermission.max(everywhere, granted(namespace));
    }
    return granted(namespace);
  }

  private NamespacePermission granted(String namespace) {
    Object[] table = grantTable;
    int slot = spread(namespace.hashCode()) & grantMask;
    while (true) {
      Object name = table[slot * 2];
      if (name == null) {
        return null;
      }
      if (name == namespace || name.equals(namespace)) {
        return (NamespacePermission) table[slot * 2 + 1];
      }
      slot = (slot + 1) & grantMask;
    }
  }

  /**
   * Explicit grants (own, groups', creator's), as a new unmodifiable map; admins hold ADMIN on
   * namespaces not listed too. Not for the hot path: use {@link #permissionOn}.
   */
  public Map<String, NamespacePermission> grants() {
    Map<String, NamespacePermission> map = new HashMap<>();
    for (int i = 0; i < grantTable.length; i += 2) {
      if (grantTable[i] != null) {
        map.put((String) grantTable[i], (NamespacePermission) grantTable[i + 1]);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
