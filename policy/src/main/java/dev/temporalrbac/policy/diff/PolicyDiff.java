package dev.temporalrbac.policy.diff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every principal for which something differs between two policy versions, ordered by id (see
 * {@link PolicyComparer}). Immutable.
 *
 * @param at the time API keys' expiry was evaluated at
 * @param principals one entry per principal with a difference, by id
 */
public record PolicyDiff(Instant at, List<PrincipalDiff> principals) {

  public PolicyDiff {
    Objects.requireNonNull(at, "at");
    principals = List.copyOf(principals);
  }

  /** Gains over every principal. */
  public int gainCount() {
    return principals.stream().mapToInt(p -> p.gains().size()).sum();
  }

  /** Losses over every principal. */
  public int lossCount() {
    return principals.stream().mapToInt(p -> p.losses().size()).sum();
  }

  /** Neutral changes over every principal. */
  public int changeCount() {
    return principals.stream().mapToInt(p -> p.changes().size()).sum();
  }

  /** True when some principal loses something: the change needs a reviewer. */
  public boolean losesSomething() {
    return principals.stream().anyMatch(p -> !p.losses().isEmpty());
  }
}
