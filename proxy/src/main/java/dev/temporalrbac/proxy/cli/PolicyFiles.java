package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.load.PolicyError;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.config.FileProblem;
import dev.temporalrbac.proxy.policy.DirectorySource;
import dev.temporalrbac.proxy.policy.PolicyRead;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Loads the policy file (or directory of policy files, as {@code policy.directory} reads it) a
 * command names, reporting a rejected one the same way everywhere.
 */
final class PolicyFiles {
  private PolicyFiles() {}

  /**
   * The snapshot, or null after printing every error ({@code file:line: field: message}), or why
   * the file cannot be read.
   */
  static PolicySnapshot load(String file, PrintWriter err) {
    try {
      if (Files.isDirectory(Path.of(file))) {
        return directory(Path.of(file), err);
      }
      byte[] document = read(Path.of(file), err);
      return document == null ? null : PolicyLoader.parse(document, file, Instant.now());
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

  /** A directory's policy files as one policy, or null after printing why it cannot be read. */
  private static PolicySnapshot directory(Path directory, PrintWriter err) throws PolicyException {
    PolicyRead read;
    try {
      read = new DirectorySource(directory, false).read(null);
    } catch (IOException e) {
      err.println(e.getMessage());
      err.flush();
      return null;
    }
    if (read.moving()) {
      err.println(directory + " changed while it was read; try again");
      err.flush();
      return null;
    }
    return read.content().load(Instant.now());
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
