package dev.temporalrbac.policy.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * The gains, losses and neutral changes found for one principal or group, in the order the
 * comparisons add them. Confined to the thread comparing that principal or group.
 */
final class Findings {
  private final List<Change> gains = new ArrayList<>();
  private final List<Change> losses = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();

  void gain(Change change) {
    gains.add(change);
  }

  void loss(Change change) {
    losses.add(change);
  }

  void change(Change change) {
    changes.add(change);
  }

  PrincipalDiff toDiff(String id, String type, PrincipalDiff.Status status) {
    return new PrincipalDiff(id, type, status, gains, losses, changes);
  }

  GroupDiff toGroupDiff(String id, PrincipalDiff.Status status) {
    return new GroupDiff(id, status, gains, losses, changes);
  }

  /** True when nothing was found. */
  boolean isEmpty() {
    return gains.isEmpty() && losses.isEmpty() && changes.isEmpty();
  }
}
