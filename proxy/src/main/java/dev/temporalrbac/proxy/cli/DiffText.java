package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.diff.Change;
import dev.temporalrbac.policy.diff.PolicyDiff;
import dev.temporalrbac.policy.diff.PrincipalDiff;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code check --against}'s diff as text: one block per principal that differs, in id order, a
 * line per change ({@code +} gained, {@code -} lost, {@code ~} neither), then one summary line. The
 * same input always prints the same lines, so two runs can be compared with {@code diff}.
 */
final class DiffText {
  private DiffText() {}

  static void print(PolicyDiff diff, PrintWriter out) {
    for (PrincipalDiff principal : diff.principals()) {
      out.println(principal.id() + " (" + principal.type()
          + (principal.status() == PrincipalDiff.Status.CHANGED ? "" : ", "
              + principal.status().label()) + ")");
      lines(out, "+", principal.gains());
      lines(out, "-", principal.losses());
      lines(out, "~", principal.changes());
    }
    out.println(summary(diff));
  }

  private static void lines(PrintWriter out, String sign, List<Change> changes) {
    for (Change change : changes) {
      out.println("  " + sign + " " + change.text());
    }
  }

  static String summary(PolicyDiff diff) {
    if (diff.principals().isEmpty()) {
      return "summary: nothing differs for any principal";
    }
    return "summary: " + count(diff.principals().size(), "principal differs", "principals differ")
        + ": " + count(diff.gainCount(), "gain", "gains") + ", "
        + count(diff.lossCount(), "loss", "losses") + ", "
        + count(diff.changeCount(), "other change", "other changes")
        + (diff.losesSomething() ? "; something is lost: review before deploying (exit "
            + ExitCode.LOSS + ")" : "; nothing is lost");
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
