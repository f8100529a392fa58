package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.diff.Change;
import dev.temporalrbac.policy.diff.GroupDiff;
import dev.temporalrbac.policy.diff.PolicyDiff;
import dev.temporalrbac.policy.diff.PrincipalDiff;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code check --against}'s diff as text: one block per principal that differs, in id order, a
 * line per change ({@code +} gained, {@code -} lost, {@code ~} neither); then a {@code groups}
 * block, one entry per group whose membership alone gives something else (a caller may hold a
 * group through a token's groups claim only); then one summary line naming the exit code the
 * command returns. The same input always prints the same lines, so two runs can be compared with
 * {@code diff}.
 */
final class DiffText {
  private DiffText() {}

  /** Prints {@code diff}; {@code exitCode} is what the command returns, named in the summary. */
  static void print(PolicyDiff diff, int exitCode, PrintWriter out) {
    for (PrincipalDiff principal : diff.principals()) {
      out.println(principal.id() + " (" + principal.type()
          + (principal.status() == PrincipalDiff.Status.CHANGED ? "" : ", "
              + principal.status().label()) + ")");
      lines(out, "  ", principal.gains(), principal.losses(), principal.changes());
    }
    if (!diff.groups().isEmpty()) {
      out.println("groups (what a member holding only that group gains and loses; a token's"
          + " groups claim may make one a member):");
      for (GroupDiff group : diff.groups()) {
        out.println("  " + group.id() + (group.status() == PrincipalDiff.Status.CHANGED ? ""
            : " (" + group.status().label() + ")"));
        lines(out, "    ", group.gains(), group.losses(), group.changes());
      }
    }
    out.println(summary(diff, exitCode));
  }

  private static void lines(PrintWriter out, String indent, List<Change> gains,
      List<Change> losses, List<Change> changes) {
    lines(out, indent + "+ ", gains);
    lines(out, indent + "- ", losses);
    lines(out, indent + "~ ", changes);
  }

  private static void lines(PrintWriter out, String prefix, List<Change> changes) {
    for (Change change : changes) {
      out.println(prefix + change.text());
    }
  }

  static String summary(PolicyDiff diff, int exitCode) {
    String verdict;
    if (exitCode == ExitCode.LOSS) {
      verdict = "something is lost: review before deploying (exit " + exitCode + ")";
    } else if (exitCode == ExitCode.OK) {
      verdict = "nothing is lost";
    } else {
      verdict = (diff.losesSomething() ? "something is lost" : "nothing is lost")
          + "; the removal check failed (exit " + exitCode + ")";
    }
    if (diff.isEmpty()) {
      return "summary: nothing differs for any principal or group"
          + (exitCode == ExitCode.OK ? "" : "; " + verdict);
    }
    return "summary: " + count(diff.principals().size(), "principal differs", "principals differ")
        + ", " + count(diff.groups().size(), "group differs", "groups differ") + ": "
        + count(diff.gainCount(), "gain", "gains") + ", "
        + count(diff.lossCount(), "loss", "losses") + ", "
        + count(diff.changeCount(), "other change", "other changes") + "; " + verdict;
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
