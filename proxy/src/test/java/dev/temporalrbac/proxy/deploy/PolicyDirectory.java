package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.policy.load.PolicyError;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.proxy.policy.DirectorySource;
import dev.temporalrbac.proxy.policy.PolicyRead;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A mounted policy ConfigMap loaded as serve's {@code policy.directory} loads it: the real
 * {@link DirectorySource} (following the kubelet's {@code ..data}, as {@link PodFilesystem} lays
 * it out) and the real loader, so the ConfigMap's files are ONE policy and a reference from one
 * file into another, or an id in two files, is judged as serve judges it. Problems name the file
 * relative to the mount ({@code b.yaml:1: field: message}). Stateless.
 */
final class PolicyDirectory {
  private PolicyDirectory() {}

  /** Every problem of the policy directory {@code dir}, each naming its file. */
  static List<String> problems(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of("the policy directory " + dir + " does not exist");
    }
    PolicyRead read;
    try {
      read = new DirectorySource(dir, false).read(null);
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
    if (read.moving()) { // nothing swaps ..data in a laid-out test pod
      return List.of(dir + ": ..data moved while it was read");
    }
    try {
      read.content().load(Instant.now());
      return List.of();
    } catch (PolicyException e) {
      return named(dir, e);
    }
  }

  /** Every problem of one policy file. */
  static List<String> problemsOfFile(Path file) {
    try {
      PolicyLoader.load(file, Instant.now());
      return List.of();
    } catch (PolicyException e) {
      return named(file.getParent(), e);
    }
  }

  /** The errors, with the paths of files in {@code dir} shortened to their names. */
  private static List<String> named(Path dir, PolicyException e) {
    String prefix = dir + File.separator;
    List<String> problems = new ArrayList<>();
    for (PolicyError error : e.errors()) {
      problems.add(error.toString().replace(prefix, ""));
    }
    return problems;
  }
}
