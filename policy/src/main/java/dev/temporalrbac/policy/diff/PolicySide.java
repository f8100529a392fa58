package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.ClaimedRights;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.Group;
import dev.temporalrbac.policy.model.NamespaceInfo;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the two versions being compared, with the look-ups a diff needs and a snapshot does not
 * offer (groups by id and a member's rights, keys by owner, namespaces by creator), built once
 * per comparison.
 * Immutable once built.
 */
final class PolicySide {
  private final PolicySnapshot snapshot;
  private final Map<String, Group> groups = new HashMap<>();
  private final Map<String, List<ApiKey>> keysByOwner = new HashMap<>();
  private final Map<String, List<NamespaceInfo>> namespacesByCreator = new HashMap<>();

  PolicySide(PolicySnapshot snapshot) {
    this.snapshot = snapshot;
    for (Group group : snapshot.groups()) {
      groups.put(group.id(), group);
    }
    for (ApiKey key : snapshot.apiKeys()) {
      keysByOwner.computeIfAbsent(key.owner(), owner -> new ArrayList<>()).add(key);
    }
    for (NamespaceInfo info : snapshot.namespaces()) {
      if (info.createdBy() != null) {
        namespacesByCreator.computeIfAbsent(info.createdBy(), id -> new ArrayList<>()).add(info);
      }
    }
  }

  /** The principal, or null when this version has no such id. */
  Principal principal(String id) {
    return snapshot.principal(id);
  }

  /** Its effective rights, or null when this version has no such id. */
  EffectiveRights rights(String id) {
    return snapshot.rightsOf(id);
  }

  /**
   * What a caller holding only group {@code id} may do: the rights of a token whose groups claim
   * names just that group, computed by the snapshot as for any token, with the group's role as
   * the caller's own (so nothing but the group counts); null when this version defines no such
   * group. The token's subject is made to name no principal.
   */
  EffectiveRights groupRights(String id) {
    Group group = groups.get(id);
    if (group == null) {
      return null;
    }
    String subject = "group " + id;
    while (snapshot.principal(subject) != null) {
      subject = "_" + subject;
    }
    return snapshot.rightsOf(new ClaimedRights(subject, List.of(id), Map.of(), null, false),
        group.role());
  }

  /** The group, or null when this version defines no such group. */
  Group group(String id) {
    return groups.get(id);
  }

  ApiKey key(String id) {
    return snapshot.keyById(id);
  }

  /** The API keys {@code owner} owns in this version. */
  List<ApiKey> keysOf(String owner) {
    return keysByOwner.getOrDefault(owner, List.of());
  }

  /** The namespaces this version says {@code creator} created. */
  List<NamespaceInfo> namespacesCreatedBy(String creator) {
    return namespacesByCreator.getOrDefault(creator, List.of());
  }
}
