package dev.temporalrbac.policy.diff;

import java.util.List;
import java.util.Objects;

/**
 * What membership of one group gives from one policy version to the next, judged as a caller
 * holding that group alone: its role's account methods and its namespace grants. A token's groups
 * claim joins a caller to a group without any principal listing it (PERMISSIONS.md,
 * "Identities"), so a group lowered or deleted takes rights from callers no principal entry
 * shows. Immutable.
 *
 * @param id the group's id
 * @param status whether the group is defined in the old version, the new one, or both
 * @param gains what a member may newly do
 * @param losses what a member may no longer do
 * @param changes differences that neither give nor take, and the group's definition before and
 *     after
 */
public record GroupDiff(String id, PrincipalDiff.Status status, List<Change> gains,
    List<Change> losses, List<Change> changes) {

  public GroupDiff {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    gains = List.copyOf(gains);
    losses = List.copyOf(losses);
    changes = List.copyOf(changes);
  }
}
