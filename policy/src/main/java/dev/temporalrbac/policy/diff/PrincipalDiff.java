package dev.temporalrbac.policy.diff;

import java.util.List;
import java.util.Objects;

/**
 * What one user or service account gains and loses from one policy version to the next, and the
 * structural changes behind it. Immutable.
 *
 * @param id the principal's id
 * @param type {@code user} or {@code service_account} (in the new version when it is in both)
 * @param status whether it was added, removed, or is in both versions
 * @param gains what it may newly do or use
 * @param losses what it may no longer do or use
 * @param changes differences that neither give nor take (a grant moved to a group it is in, a
 *     disabled key's expiry moved, a group it joins whose rights it already held)
 */
public record PrincipalDiff(String id, String type, Status status, List<Change> gains,
    List<Change> losses, List<Change> changes) {

  public PrincipalDiff {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    gains = List.copyOf(gains);
    losses = List.copyOf(losses);
    changes = List.copyOf(changes);
  }

  /** True when nothing at all differs for this principal. */
  public boolean isEmpty() {
    return gains.isEmpty() && losses.isEmpty() && changes.isEmpty();
  }

  /** Whether the principal is in the old version, the new one, or both. */
  public enum Status {
    ADDED("added"),
    REMOVED("removed"),
    CHANGED("changed");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** The name used in output, e.g. {@code removed}. */
    public String label() {
      return label;
    }
  }
}
