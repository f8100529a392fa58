package dev.temporalrbac.policy.load;

import java.util.Objects;

/**
 * One YAML file of a policy that is read from several (a directory, a Kubernetes ConfigMap).
 * Immutable by convention: the bytes are not copied, so the caller must not change them.
 *
 * @param name the file's name inside its directory; part of the policy's version (see
 *     {@link PolicyManifest}), so the same files give the same version wherever they are mounted
 * @param source how errors name the file (its path)
 * @param content the file's bytes, exactly as read
 */
public record PolicyDocument(String name, String source, byte[] content) {
  public PolicyDocument {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(content, "content");
    if (name.isEmpty() || name.contains("/") || name.contains("\n")) {
      throw new IllegalArgumentException("a policy document's name is a file name, not '"
          + name + "'");
    }
  }
}
