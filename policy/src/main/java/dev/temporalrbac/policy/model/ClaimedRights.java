package dev.temporalrbac.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a verified token claims, already mapped to the policy's terms (see
 * {@link PolicySnapshot#rightsOf(ClaimedRights, AccountRole)}): the subject, the IdP groups it
 * names (matched to policy groups by id; others are ignored), the namespace permissions its
 * permissions claim grants, a permission it grants on every namespace, and whether it claims
 * system admin. Immutable; equal claims share one cached rights object per snapshot.
 *
 * @param subject the token's subject (a policy principal's id, or a token user)
 * @param groups group ids named by the groups claim, in order, without duplicates
 * @param namespaces namespace permissions granted by the permissions claim
 * @param everywhere a permission granted on every namespace ({@code temporal-system:reader} or
 *     {@code :writer}); null for none
 * @param systemAdmin {@code temporal-system:admin}: the rights of a global admin
 */
public record ClaimedRights(String subject, List<String> groups,
    Map<String, NamespacePermission> namespaces, NamespacePermission everywhere,
    boolean systemAdmin) {

  public ClaimedRights {
    Objects.requireNonNull(subject, "subject");
    groups = List.copyOf(groups);
    namespaces = Map.copyOf(namespaces);
  }
}
