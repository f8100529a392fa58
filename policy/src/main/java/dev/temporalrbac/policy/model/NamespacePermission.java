package dev.temporalrbac.policy.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Namespace-level permissions. They nest: {@code ADMIN ⊃ WRITE ⊃ READ}, so the declaration order
 * is the order of power and {@link #includes} is a comparison.
 */
public enum NamespacePermission {
  READ("read"),
  WRITE("write"),
  ADMIN("admin");

  private final String yamlName;

  NamespacePermission(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  /** True when holding this permission is enough for {@code required}. */
  public boolean includes(NamespacePermission required) {
    return compareTo(required) >= 0;
  }

  /** The stronger of two grants; {@code null} stands for no grant. */
  public static NamespacePermission max(NamespacePermission a, NamespacePermission b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Parses {@code read}, {@code write} or {@code admin} ({@code namespace_admin} too). */
  public static Optional<NamespacePermission> parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (wanted.equals("namespace_admin")) {
      return Optional.of(ADMIN);
    }
    for (NamespacePermission permission : values()) {
      if (permission.yamlName.equals(wanted)) {
        return Optional.of(permission);
      }
    }
    return Optional.empty();
  }
}
