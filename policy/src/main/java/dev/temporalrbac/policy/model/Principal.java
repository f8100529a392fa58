package dev.temporalrbac.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user or service account as the policy file declares it (before groups and creator grants are
 * folded in; see {@link EffectiveRights}).
 *
 * @param role the account role; null only for a namespace-scoped service account
 * @param namespaces per-namespace grants
 * @param groups ids of the user groups it belongs to (users only)
 * @param scoped the one namespace of a namespace-scoped service account; null otherwise
 */
public record Principal(
    String id,
    PrincipalType type,
    AccountRole role,
    Map<String, NamespacePermission> namespaces,
    List<String> groups,
    ScopedGrant scoped) {

  public Principal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    namespaces = Map.copyOf(namespaces);
    groups = List.copyOf(groups);
    if ((role == null) == (scoped == null)) {
      throw new IllegalArgumentException(id + ": exactly one of role and namespace scope");
    }
  }

  public boolean isNamespaceScoped() {
    return scoped != null;
  }
}
