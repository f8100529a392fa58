package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.load.PolicyError;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.config.FileProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Loads the policy file a command names, reporting a rejected one the same way everywhere. */
final class PolicyFiles {
  private PolicyFiles() {}

  /**
   * The snapshot, or null after printing every error ({@code file:line: field: message}), or why
   * the file cannot be read.
   */
  static PolicySnapshot load(String file, PrintWriter err) {
    byte[] document = read(Path.of(file), err);
    if (document == null) {
      return null;
    }
    try {
      return PolicyLoader.parse(document, file, Instant.now());
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

  /** The file's bytes, or null after printing why it cannot be read. */
  static byte[] read(Path file, PrintWriter err) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      err.println("cannot read the policy file " + FileProblem.describe(file, e));
      err.flush();
      return null;
    }
  }
}
