package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.load.PolicyError;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/** Loads the policy file a command names, reporting a rejected one the same way everywhere. */
final class PolicyFiles {
  private PolicyFiles() {}

  /** The snapshot, or null after printing every error ({@code file:line: field: message}). */
  static PolicySnapshot load(String file, PrintStream err) {
    try {
      return PolicyLoader.load(Path.of(file), Instant.now());
    } catch (PolicyException e) {
      int count = e.errors().size();
      err.println("policy rejected: " + count + (count == 1 ? " error" : " errors"));
      for (PolicyError error : e.errors()) {
        err.println(error);
      }
      err.flush();
      return null;
    }
  }
}
