package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.Group;
import dev.temporalrbac.policy.model.NamespaceInfo;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.Principal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Lists how the policy's structure around a principal in both versions changes: its type, its
 * declared role or namespace scope, its own grants, the groups it joins or leaves or stays in
 * while they change, and the namespaces recorded as its creations. These are neutral changes:
 * what they do to its rights is reported by {@link RightsComparison} as gains and losses, and a
 * structural change that leaves its rights as they were (a grant moved to its group) shows here
 * only. Stateless.
 */
final class StructureComparison {
  private StructureComparison() {}

  static void compare(String id, PolicySide before, PolicySide after, Findings out) {
    Principal was = before.principal(id);
    Principal is = after.principal(id);
    if (was.type() != is.type()) {
      out.change(new Change(ChangeKind.PRINCIPAL, null, was.type().label(), is.type().label(),
          "type " + was.type().label() + " -> " + is.type().label()));
    }
    String roleBefore = declaredRole(was);
    String roleAfter = declaredRole(is);
    if (!roleBefore.equals(roleAfter)) {
      out.change(new Change(ChangeKind.ROLE, null, roleBefore, roleAfter,
          "own role " + roleBefore + " -> " + roleAfter));
    }
    grants(was.namespaces(), is.namespaces(), out);
    groups(was, is, before, after, out);
    createdNamespaces(id, before, after, out);
  }

  private static String declaredRole(Principal principal) {
    return principal.isNamespaceScoped()
        ? "namespace_scoped (" + principal.scoped().namespace() + ": "
            + principal.scoped().permission().yamlName() + ")"
        : principal.role().yamlName();
  }

  private static void grants(Map<String, NamespacePermission> was,
      Map<String, NamespacePermission> is, Findings out) {
    SortedSet<String> names = new TreeSet<>(was.keySet());
    names.addAll(is.keySet());
    for (String name : names) {
      String from = name(was.get(name));
      String to = name(is.get(name));
      if (!Objects.equals(from, to)) {
        out.change(new Change(ChangeKind.GRANT, name, from, to, "own grant on " + name + ": "
            + RightsComparison.text(from) + " -> " + RightsComparison.text(to)));
      }
    }
  }

  private static void groups(Principal was, Principal is, PolicySide before, PolicySide after,
      Findings out) {
    Set<String> ids = new LinkedHashSet<>(was.groups());
    ids.addAll(is.groups());
    for (String groupId : new TreeSet<>(ids)) {
      boolean memberBefore = was.groups().contains(groupId);
      boolean memberAfter = is.groups().contains(groupId);
      Group groupBefore = before.group(groupId);
      Group groupAfter = after.group(groupId);
      if (!memberBefore) {
        out.change(new Change(ChangeKind.GROUP, groupId, null, describe(groupAfter),
            "joins group " + groupId + " (" + describe(groupAfter) + ")"));
      } else if (!memberAfter) {
        out.change(new Change(ChangeKind.GROUP, groupId, describe(groupBefore), null,
            "leaves group " + groupId + " (" + describe(groupBefore) + ")"));
      } else if (!Objects.equals(groupBefore, groupAfter)) {
        out.change(new Change(ChangeKind.GROUP, groupId, describe(groupBefore),
            describe(groupAfter), "group " + groupId + " changes: " + describe(groupBefore)
                + " -> " + describe(groupAfter)));
      }
    }
  }

  /** E.g. {@code role developer; billing: read, payments: write}. */
  static String describe(Group group) {
    if (group == null) {
      return "not defined";
    }
    SortedMap<String, NamespacePermission> grants = new TreeMap<>(group.namespaces());
    String listed = grants.entrySet().stream()
        .map(grant -> grant.getKey() + ": " + grant.getValue().yamlName())
        .collect(Collectors.joining(", "));
    return "role " + group.role().yamlName() + (listed.isEmpty() ? "" : "; " + listed);
  }

  private static void createdNamespaces(String id, PolicySide before, PolicySide after,
      Findings out) {
    SortedMap<String, String> was = created(before, id);
    SortedMap<String, String> is = created(after, id);
    SortedSet<String> names = new TreeSet<>(was.keySet());
    names.addAll(is.keySet());
    for (String name : names) {
      String from = was.get(name);
      String to = is.get(name);
      if (!Objects.equals(from, to)) {
        out.change(new Change(ChangeKind.NAMESPACE_FACT, name, from, to, "namespace " + name
            + ": " + (from == null ? "not created by it" : from) + " -> "
            + (to == null ? "not created by it" : to)));
      }
    }
  }

  /** The namespaces {@code id} created, each with its {@code creator_admin} as text. */
  private static SortedMap<String, String> created(PolicySide side, String id) {
    SortedMap<String, String> created = new TreeMap<>();
    for (NamespaceInfo info : side.namespacesCreatedBy(id)) {
      created.put(info.name(), "created by it, creator_admin " + info.creatorAdmin());
    }
    return created;
  }

  private static String name(NamespacePermission permission) {
    return permission == null ? null : permission.yamlName();
  }
}
