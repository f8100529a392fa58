package dev.temporalrbac.proxy.mint;

import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A principal's rights written as Temporal's default claim mapper reads a {@code permissions}
 * claim: Global Admin and Account Owner as {@code temporal-system:admin}; otherwise each explicit
 * grant as {@code <namespace>:read|write|admin} plus, for a token's everywhere grant,
 * {@code temporal-system:read|write}. Sorted, so equal rights give equal claims.
 *
 * <p>A grant on a namespace literally named {@code temporal-system} is left out: in the claim that
 * name means "every namespace", so writing it would widen the grant. A name with a colon is left
 * out too: the mapper splits at the first colon and would read another namespace. Neither is a
 * valid Temporal namespace name. Pure function; thread-safe.
 */
final class MintedPermissions {
  static final String SYSTEM_NAMESPACE = "temporal-system";

  private MintedPermissions() {}

  static List<String> of(EffectiveRights rights) {
    if (rights.isAdminEverywhere()) {
      return List.of(SYSTEM_NAMESPACE + ":" + NamespacePermission.ADMIN.yamlName());
    }
    List<String> claims = new ArrayList<>();
    NamespacePermission everywhere = rights.everywhere();
    if (everywhere != null) {
      claims.add(SYSTEM_NAMESPACE + ":" + everywhere.yamlName());
    }
    for (Map.Entry<String, NamespacePermission> grant : new TreeMap<>(rights.grants()).entrySet()) {
      String namespace = grant.getKey();
      if (!namespace.equals(SYSTEM_NAMESPACE) && namespace.indexOf(':') < 0) {
        claims.add(namespace + ":" + grant.getValue().yamlName());
      }
    }
    return List.copyOf(claims);
  }
}
