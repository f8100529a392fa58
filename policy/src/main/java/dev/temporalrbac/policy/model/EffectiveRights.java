package dev.temporalrbac.policy.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
  private final AccountRole highestRole;
  private final Map<String, NamespacePermission> grants;
  private final boolean adminEverywhere;

  EffectiveRights(Principal principal, Set<AccountRole> roles,
      Map<String, NamespacePermission> grants) {
    this.principal = principal;
    this.roles = roles.isEmpty()
        ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    AccountRole highest = null;
    for (AccountRole role : roles) {
      highest = role;
    }
    this.highestRole = highest;
    this.grants = Collections.unmodifiableMap(new HashMap<>(grants));
    this.adminEverywhere = roles.contains(AccountRole.GLOBAL_ADMIN)
        || roles.contains(AccountRole.ACCOUNT_OWNER);
  }

  /** Folds the principal's groups and creator grants in. */
  static EffectiveRights compute(Principal principal, Map<String, Group> groups,
      Iterable<String> createdNamespaces) {
    if (principal.isNamespaceScoped()) {
      ScopedGrant scoped = principal.scoped();
      return new EffectiveRights(principal, EnumSet.noneOf(AccountRole.class),
          Map.of(scoped.namespace(), scoped.permission()));
    }
    EnumSet<AccountRole> roles = EnumSet.of(principal.role());
    Map<String, NamespacePermission> grants = new HashMap<>(principal.namespaces());
    for (String groupId : principal.groups()) {
      Group group = groups.get(groupId);
      if (group == null) {
        continue;
      }
      roles.add(group.role());
      group.namespaces().forEach((ns, permission) -> grants.merge(ns, permission, NamespacePermission::max));
    }
    if (roles.contains(AccountRole.DEVELOPER)) {
      for (String namespace : createdNamespaces) {
        grants.put(namespace, NamespacePermission.ADMIN);
      }
    }
    return new EffectiveRights(principal, roles, grants);
  }

  public Principal principal() {
    return principal;
  }

  /** Every account role it holds (own and groups'); empty for a namespace-scoped account. */
  public Set<AccountRole> roles() {
    return roles;
  }

  /** The highest-ranked role, for display; null for a namespace-scoped service account. */
  public AccountRole highestRole() {
    return highestRole;
  }

  /** Role name for messages: the highest role, or {@code namespace_scoped}. */
  public String roleLabel() {
    return highestRole == null ? "namespace_scoped" : highestRole.yamlName();
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

  /** Its permission on a namespace, or null for none. */
  public NamespacePermission permissionOn(String namespace) {
    return adminEverywhere ? NamespacePermission.ADMIN : grants.get(namespace);
  }

  /** Explicit grants (own, groups', creator's); admins hold ADMIN on namespaces not listed too. */
  public Map<String, NamespacePermission> grants() {
    return grants;
  }
}
