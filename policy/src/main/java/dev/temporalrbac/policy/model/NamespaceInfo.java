package dev.temporalrbac.policy.model;

import java.util.Objects;

/**
 * Facts about one namespace.
 *
 * @param id the namespace id, so a call naming the namespace only by id can be decided; may be null
 * @param createdBy the principal that created it; may be null
 * @param creatorAdmin whether a Developer creator still holds Namespace Admin on it
 */
public record NamespaceInfo(String name, String id, String createdBy, boolean creatorAdmin) {
  public NamespaceInfo {
    Objects.requireNonNull(name, "name");
  }
}
