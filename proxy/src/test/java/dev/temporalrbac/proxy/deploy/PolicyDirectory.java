package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A mounted policy ConfigMap read as {@code policy.directory} defines it (every non-hidden
 * {@code *.yaml}/{@code *.yml} file, in name order, one policy with ids unique across files):
 * each file through the real {@link PolicyLoader}, then the ids compared across files. Every
 * file here is self-contained, so each must load alone. Stateless.
 */
final class PolicyDirectory {
  private PolicyDirectory() {}

  /** Every problem of the policy directory {@code dir}, each naming its file. */
  static List<String> problems(Path dir) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return List.of("the policy directory " + dir + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile)
          .sorted().toList();
    }
    if (files.isEmpty()) {
      problems.add(dir + ": no *.yaml file: the proxy would have no policy");
    }
    Map<String, Path> owners = new HashMap<>();
    for (Path file : files) {
      PolicySnapshot snapshot = load(file, problems);
      if (snapshot == null) {
        continue;
      }
      List<String> ids = new ArrayList<>();
      snapshot.principals().forEach(p -> ids.add("principal " + p.id()));
      snapshot.groups().forEach(g -> ids.add("group " + g.id()));
      snapshot.apiKeys().forEach(k -> ids.add("api key " + k.id()));
      for (String id : ids) {
        Path first = owners.putIfAbsent(id, file);
        if (first != null) {
          problems.add(file.getFileName() + ": " + id + " is also in " + first.getFileName());
        }
      }
    }
    return problems;
  }

  /** Every problem of one policy file. */
  static List<String> problemsOfFile(Path file) {
    List<String> problems = new ArrayList<>();
    load(file, problems);
    return problems;
  }

  private static PolicySnapshot load(Path file, List<String> problems) {
    try {
      return PolicyLoader.load(file, Instant.now());
    } catch (PolicyException e) {
      problems.add(file.getFileName() + ": " + e.getMessage());
      return null;
    }
  }
}
