package dev.temporalrbac.policy.model;

import java.util.Map;
import java.util.Objects;

/** A user group: its members gain its role and namespace grants. */
public record Group(String id, AccountRole role, Map<String, NamespacePermission> namespaces) {
  public Group {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(role, "role");
    namespaces = Map.copyOf(namespaces);
  }
}
