package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespaceInfo;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compares what calls naming a namespace only by id let a principal or group do. The authorizer
 * resolves such an id through the policy's {@code namespaces[].id} and, for anyone but Global
 * Admin and Account Owner, refuses an id the policy does not map (PERMISSIONS.md §5); so an id
 * whose mapping is removed or moved takes away what holders of the old name could do by id, and
 * an id mapped anew or moved gives holders of the new name that. For each id whose name differs
 * between the versions, the permission held through it before (on the old name) and after (on
 * the new) is compared: up is a gain, down a loss, the same permission on another namespace a
 * neutral change. Admins everywhere may call by any id, mapped or not, so nothing changes for
 * them. Immutable once built; thread-safe.
 */
final class NamespaceIdComparison {
  /** Each id whose name differs, with its name before and after (null: not mapped). */
  private final SortedMap<String, Names> moved = new TreeMap<>();

  NamespaceIdComparison(PolicySnapshot before, PolicySnapshot after) {
    SortedMap<String, String> was = names(before);
    SortedMap<String, String> is = names(after);
    SortedMap<String, String> ids = new TreeMap<>(was);
    ids.putAll(is);
    for (String id : ids.keySet()) {
      if (!Objects.equals(was.get(id), is.get(id))) {
        moved.put(id, new Names(was.get(id), is.get(id)));
      }
    }
  }

  /** An id's namespace name in each version; null where it is not mapped. */
  private record Names(String before, String after) {}

  private static SortedMap<String, String> names(PolicySnapshot snapshot) {
    SortedMap<String, String> names = new TreeMap<>();
    for (NamespaceInfo info : snapshot.namespaces()) {
      if (info.id() != null) {
        names.put(info.id(), info.name());
      }
    }
    return names;
  }

  /** Adds what {@code before} and {@code after} (null: not in that version) gain and lose. */
  void compare(EffectiveRights before, EffectiveRights after, Findings out) {
    for (var entry : moved.entrySet()) {
      String id = entry.getKey();
      String nameBefore = entry.getValue().before();
      String nameAfter = entry.getValue().after();
      if (isAdmin(before) && isAdmin(after)) {
        continue;
      }
      NamespacePermission was = byId(before, nameBefore);
      NamespacePermission is = byId(after, nameAfter);
      String from = was == null ? null : was.yamlName();
      String to = is == null ? null : is.yamlName();
      if (was == null && is == null) {
        continue;
      }
      Change change = new Change(ChangeKind.NAMESPACE_ID, id, from, to, "calls naming namespace"
          + " id " + id + " (" + mapping(nameBefore) + " -> " + mapping(nameAfter) + "): "
          + RightsComparison.text(from) + " -> " + RightsComparison.text(to));
      if (rank(is) > rank(was)) {
        out.gain(change);
      } else if (rank(is) < rank(was)) {
        out.loss(change);
      } else {
        out.change(change);
      }
    }
  }

  private static boolean isAdmin(EffectiveRights rights) {
    return rights != null && rights.isAdminEverywhere();
  }

  /** What a by-id call resolving to {@code name} (null: unmapped) may do; null for nothing. */
  private static NamespacePermission byId(EffectiveRights rights, String name) {
    if (rights == null) {
      return null;
    }
    if (rights.isAdminEverywhere()) {
      return NamespacePermission.ADMIN;
    }
    return name == null ? null : rights.permissionOn(name);
  }

  private static String mapping(String name) {
    return name == null ? "not mapped" : "namespace " + name;
  }

  private static int rank(NamespacePermission permission) {
    return permission == null ? -1 : permission.ordinal();
  }
}
