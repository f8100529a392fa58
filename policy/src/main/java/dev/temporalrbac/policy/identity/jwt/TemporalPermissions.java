package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a permissions claim as Temporal's default claim mapper does: each entry
 * {@code <namespace>:<role>} (split at the first colon, or matched by a regex with the named
 * groups {@code namespace} and {@code role}); roles compared case-insensitively, {@code read} or
 * {@code reader} → read, {@code write} or {@code writer} → write, {@code admin} → namespace admin,
 * {@code worker} → nothing (below reader in Temporal); the strongest entry per namespace wins.
 * The namespace {@code temporal-system} grants its role everywhere ({@code admin}: system admin).
 * Entries that do not parse, or name another role, are ignored, as Temporal ignores them.
 *
 * @param namespaces the permission granted per namespace
 * @param everywhere read or write granted on every namespace ({@code temporal-system:reader} or
 *     {@code :writer}), or null
 * @param systemAdmin {@code temporal-system:admin} was claimed
 */
record TemporalPermissions(Map<String, NamespacePermission> namespaces,
    NamespacePermission everywhere, boolean systemAdmin) {

  /** The namespace whose permissions apply to the whole cluster in Temporal. */
  static final String SYSTEM_NAMESPACE = "temporal-system";

  /** Reads {@code entries}; {@code regex} null splits at the first colon. */
  static TemporalPermissions read(List<String> entries, Pattern regex) {
    Map<String, NamespacePermission> namespaces = new HashMap<>();
    NamespacePermission everywhere = null;
    boolean systemAdmin = false;
    for (String entry : entries) {
      String namespace;
      String role;
      if (regex == null) {
        int colon = entry.indexOf(':');
        if (colon < 0) {
          continue;
        }
        namespace = entry.substring(0, colon);
        role = entry.substring(colon + 1);
      } else {
        Matcher match = regex.matcher(entry);
        if (!match.find()) {
          continue;
        }
        namespace = match.group("namespace");
        role = match.group("role");
      }
      NamespacePermission permission = permissionOf(role);
      if (namespace == null || namespace.isEmpty() || permission == null) {
        continue;
      }
      if (namespace.equals(SYSTEM_NAMESPACE)) {
        if (permission == NamespacePermission.ADMIN) {
          systemAdmin = true;
        } else {
          everywhere = NamespacePermission.max(everywhere, permission);
        }
      } else {
        namespaces.merge(namespace, permission, NamespacePermission::max);
      }
    }
    return new TemporalPermissions(namespaces, everywhere, systemAdmin);
  }

  /** A Temporal role as a namespace permission; null for {@code worker} and unknown roles. */
  private static NamespacePermission permissionOf(String role) {
    if (role == null) {
      return null;
    }
    return switch (role.toLowerCase(Locale.ROOT)) {
      case "read", "reader" -> NamespacePermission.READ;
      case "write", "writer" -> NamespacePermission.WRITE;
      case "admin" -> NamespacePermission.ADMIN;
      default -> null;
    };
  }
}
