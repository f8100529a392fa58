package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code check --policy FILE}: validates a policy file exactly as the proxy would load it, so a
 * change can be checked in CI before it is deployed. Prints a summary and exits 0, or prints every
 * error and exits 1.
 */
public final class CheckCommand implements Command {
  @Override
  public String name() {
    return "check";
  }

  @Override
  public String summary() {
    return "validate a policy file and summarise it";
  }

  @Override
  public String usage() {
    return "usage: check --policy FILE\n"
        + "  Validates FILE. On success prints its version (content hash) and counts, exit 0.\n"
        + "  On failure prints every error as file:line: field: message to stderr, exit 1.\n";
  }

  @Override
  public Set<String> valueOptions() {
    return Set.of("policy");
  }

  @Override
  public int execute(Args args, InputStream in, PrintStream out, PrintStream err)
      throws UsageException {
    String file = args.require("policy");
    PolicySnapshot policy = PolicyFiles.load(file, err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    out.println("policy OK: " + file);
    out.println("version: " + policy.version());
    out.println("principals: " + policy.principals().size());
    for (Map.Entry<String, Integer> role : policy.principalsPerRole().entrySet()) {
      out.println("  " + role.getKey() + ": " + role.getValue());
    }
    out.println("groups: " + policy.groups().size());
    out.println("api keys: " + policy.apiKeys().size());
    out.println("namespaces: " + policy.namespaces().size());
    return ExitCode.OK;
  }
}
