package dev.temporalrbac.policy.model;

import java.util.Objects;

/** The single namespace a namespace-scoped service account may use, and how. */
public record ScopedGrant(String namespace, NamespacePermission permission) {
  public ScopedGrant {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(permission, "permission");
  }
}
