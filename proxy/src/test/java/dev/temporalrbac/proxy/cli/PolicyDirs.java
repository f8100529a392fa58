package dev.temporalrbac.proxy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A policy written across the files of a directory, as {@code policy.directory} reads it: a
 * policy's text cut at its sections into {@code a-groups.yaml} (groups), {@code b-people.yaml}
 * (users to api_keys: references into a-groups.yaml) and {@code c-namespaces.yml}, plus files the
 * reader must skip.
 */
final class PolicyDirs {
  private PolicyDirs() {}

  /** Writes {@code policy} (groups, users, namespaces in that order) split into {@code dir}. */
  static Path split(String policy, Path dir) throws IOException {
    int users = policy.indexOf("\nusers:\n") + 1;
    int namespaces = policy.indexOf("\nnamespaces:\n") + 1;
    if (users == 0 || namespaces == 0 || namespaces < users) {
      throw new IllegalArgumentException("expected groups, users, ..., namespaces in that order");
    }
    Files.createDirectories(dir);
    write(dir.resolve("a-groups.yaml"), policy.substring(0, users));
    write(dir.resolve("b-people.yaml"), policy.substring(users, namespaces));
    write(dir.resolve("c-namespaces.yml"), policy.substring(namespaces));
    write(dir.resolve(".hidden.yaml"), "not: [a policy\n");
    write(dir.resolve("README.md"), "not a policy\n");
    return dir;
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
