package dev.temporalrbac.policy.diff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every principal and every group for which something differs between two policy versions, each
 * ordered by id (see {@link PolicyComparer}). Counts and {@link #losesSomething()} cover both.
 * Immutable.
 *
 * @param at the time API keys' expiry was evaluated at
 * @param principals one entry per principal with a difference, by id
 * @param groups one entry per group whose membership gives something else, by id
 */
public record PolicyDiff(Instant at, List<PrincipalDiff> principals, List<GroupDiff> groups) {

  public PolicyDiff {
    Objects.requireNonNull(at, "at");
    principals = List.copyOf(principals);
    groups = List.copyOf(groups);
  }

  /** Gains over every principal and group. */
  public int gainCount() {
    return count(principals.stream().map(PrincipalDiff::gains), groups.stream()
        .map(GroupDiff::gains));
  }

  /** Losses over every principal and group. */
  public int lossCount() {
    return count(principals.stream().map(PrincipalDiff::losses), groups.stream()
        .map(GroupDiff::losses));
  }

  /** Neutral changes over every principal and group. */
  public int changeCount() {
    return count(principals.stream().map(PrincipalDiff::changes), groups.stream()
        .map(GroupDiff::changes));
  }

  /** True when nothing differs for any principal or group. */
  public boolean isEmpty() {
    return principals.isEmpty() && groups.isEmpty();
  }

  /** True when some principal or group loses something: the change needs a reviewer. */
  public boolean losesSomething() {
    return lossCount() > 0;
  }

  private static int count(Stream<List<Change>> principals, Stream<List<Change>> groups) {
    return Stream.concat(principals, groups).mapToInt(List::size).sum();
  }
}
