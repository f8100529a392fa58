package dev.temporalrbac.policy.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key, known by the SHA-256 of its secret; the secret itself is never held.
 *
 * @param sha256 lower-case hex SHA-256 of the secret
 * @param expires end of validity, or null for none
 */
public record ApiKey(String id, String owner, String sha256, Instant expires, boolean disabled) {
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** True once {@code now} has reached the expiry time. */
  public boolean isExpiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
