package dev.temporalrbac.proxy.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Levenshtein distance, for "did you mean" on mistyped names: picocli's own suggestions compare
 * letter pairs and miss a swap of two letters ({@code --fromat}). Stateless.
 */
final class EditDistance {
  private EditDistance() {}

  /** The names of {@code candidates} nearest to {@code typed}, at most a few edits away. */
  static List<String> nearest(String typed, Collection<String> candidates) {
    int limit = Math.max(2, typed.length() / 4);
    int best = candidates.stream().mapToInt(name -> between(typed, name)).min().orElse(limit + 1);
    return best > limit ? List.of() : candidates.stream()
        .filter(name -> between(typed, name) == best)
        .sorted(Comparator.naturalOrder())
        .toList();
  }

  /** The number of single-character insertions, deletions and substitutions from a to b. */
  static int between(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
