package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.load.RemovalGuard;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check --policy FILE [--against CURRENT]}: validates a policy file exactly as the proxy
 * would load it, so a change can be checked in CI before it is deployed. With {@code --against},
 * also applies the proxy's removal guard to the change from CURRENT to FILE, so a version the
 * running proxy would refuse fails here first. Prints a summary and exits 0, or prints every
 * error (or the guard's verdict) and exits 1.
 */
@Command(name = "check", sortOptions = false,
    description = {"Validates a policy file exactly as the proxy would load it.",
        "On success prints its version (content hash) and counts, exit 0. On failure prints"
            + " every error as file:line: field: message to stderr, exit 1.",
        ""})
public final class CheckCommand implements Callable<Integer> {
  /** Removed ids listed per kind before "and N more". */
  private static final int LISTED = 20;

  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;
  @Option(names = "--policy", required = true, paramLabel = "FILE",
      description = "the policy file to validate")
  private String file;
  @Option(names = "--against", paramLabel = "CURRENT", description = "also compare FILE with"
      + " the policy in force (CURRENT) as the proxy does on reload: removing more than half of"
      + " the principals or of the API keys is refused unless FILE confirms it"
      + " (confirm_removal); prints what FILE removes and exits 1 when the proxy would refuse it")
  private String against;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PolicySnapshot policy = PolicyFiles.load(file, err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    out.println("policy OK: " + file);
    out.println("version: " + policy.version());
    out.println("principals: " + policy.principals().size()
        + (policy.principals().isEmpty() ? " (none: no user or service account)" : ""));
    for (Map.Entry<String, Integer> role : policy.principalsPerRole().entrySet()) {
      out.println("  " + role.getKey() + ": " + role.getValue());
    }
    out.println("groups: " + policy.groups().size());
    out.println("api keys: " + policy.apiKeys().size() + (policy.apiKeys().isEmpty()
        ? " (none: every call would be refused UNAUTHENTICATED)" : ""));
    out.println("namespaces: " + policy.namespaces().size());
    if (policy.confirmsRemoval()) {
      out.println("confirm_removal: matches (" + policy.principals().size() + " principals, "
          + policy.apiKeys().size() + " API keys); remove it once this version is in force");
    }
    if (against == null) {
      out.println("removal check: not run (nothing to compare with; --against CURRENT compares"
          + " with the policy in force)");
      return ExitCode.OK;
    }
    PolicySnapshot current = PolicyFiles.load(against, err);
    if (current == null) {
      err.println("check: --against " + against + " is not a valid policy, so FILE cannot be"
          + " compared with it");
      return ExitCode.POLICY_ERROR;
    }
    RemovalGuard.Verdict verdict = RemovalGuard.check(current, policy);
    PrintWriter verdictOut = verdict.rejected() ? err : out;
    verdictOut.println((verdict.rejected() ? "removal check FAILED against " : "removal check OK"
        + " against ") + against + " (version " + current.version() + "): " + verdict.message());
    list(verdictOut, "principals removed", verdict.principalsRemoved());
    list(verdictOut, "API keys removed", verdict.keysRemoved());
    return verdict.rejected() ? ExitCode.POLICY_ERROR : ExitCode.OK;
  }

  private static void list(PrintWriter out, String label, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder("  ").append(label).append(": ");
    int shown = Math.min(LISTED, ids.size());
    line.append(String.join(", ", ids.subList(0, shown)));
    if (ids.size() > shown) {
      line.append(", and ").append(ids.size() - shown).append(" more");
    }
    out.println(line);
  }
}
