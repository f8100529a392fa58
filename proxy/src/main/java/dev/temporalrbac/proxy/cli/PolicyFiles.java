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
 * Loads the policy a command names, reporting a rejected one the same way everywhere: a file, or
 * a directory of policy files read exactly as serve's {@code policy.directory} reads it
 * ({@link DirectorySource}: every non-hidden {@code *.yaml} / {@code *.yml} file as one policy,
 * a Kubernetes {@code ..data} mount followed). A signature ({@code FILE.jws},
 * {@code DIR/policy.jws}) is not verified: the commands that use this are offline review tools.
 */
final class PolicyFiles {
  /** Reads of a directory whose {@code ..data} keeps moving before the command gives up. */
  private static final int DIRECTORY_READS = 3;

  private PolicyFiles() {}

  /**
   * The snapshot, or null after printing every error ({@code file:line: field: message}), or why
   * the file or directory cannot be read.
   */
  static PolicySnapshot load(String file, PrintWriter err) {
    return load(file, "", err);
  }

  /**
   * As {@link #load(String, PrintWriter)}, with {@code side} (e.g. {@code "--against: "}) before
   * the line that says the policy is rejected or unreadable, when a command reads two policies.
   */
  static PolicySnapshot load(String file, String side, PrintWriter err) {
    Path path = Path.of(file);
    try {
      if (Files.isDirectory(path)) {
        PolicyRead read = readDirectory(path, side, err);
        return read == null ? null : read.content().load(Instant.now());
      }
      byte[] document = read(path, side, err);
      return document == null ? null : PolicyLoader.parse(document, file, Instant.now());
    } catch (PolicyException e) {
      int count = e.errors().size();
      err.println(side + "policy rejected: " + count + (count == 1 ? " error" : " errors"));
      for (PolicyError error : e.errors()) {
        err.println(error);
      }
      err.flush();
      return null;
    }
  }

  /** The file's bytes, or null after printing why it cannot be read. */
  static byte[] read(Path file, PrintWriter err) {
    return read(file, "", err);
  }

  private static byte[] read(Path file, String side, PrintWriter err) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      err.println(side + "cannot read the policy file " + FileProblem.describe(file, e));
      err.flush();
      return null;
    }
  }

  /** The directory's files, or null after printing why they cannot be read. */
  private static PolicyRead readDirectory(Path directory, String side, PrintWriter err) {
    try {
      for (int attempt = 0; attempt < DIRECTORY_READS; attempt++) {
        PolicyRead read = new DirectorySource(directory, false).read(null);
        if (!read.moving()) {
          return read;
        }
      }
      err.println(side + "the policy directory " + directory + " changed on every read (its"
          + " ..data moved " + DIRECTORY_READS + " times); try again");
    } catch (IOException e) {
      err.println(side + e.getMessage());
    }
    err.flush();
    return null;
  }
}
