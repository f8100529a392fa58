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
 * @param certificateFilters when not empty, a client certificate naming this principal must match
 *     one of them (see {@link CertificateFilter})
 */
public record Principal(
    String id,
    PrincipalType type,
    AccountRole role,
    Map<String, NamespacePermission> namespaces,
    List<String> groups,
    ScopedGrant scoped,
    List<CertificateFilter> certificateFilters) {

  public Principal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    namespaces = Map.copyOf(namespaces);
    groups = List.copyOf(groups);
    certificateFilters = List.copyOf(certificateFilters);
    if ((role == null) == (scoped == null)) {
      throw new IllegalArgumentException(id + ": exactly one of role and namespace scope");
    }
  }

  /** A principal without certificate filters. */
  public Principal(String id, PrincipalType type, AccountRole role,
      Map<String, NamespacePermission> namespaces, List<String> groups, ScopedGrant scoped) {
    this(id, type, role, namespaces, groups, scoped, List.of());
  }

  public boolean isNamespaceScoped() {
    return scoped != null;
  }
}
