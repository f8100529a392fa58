package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProblemTest {
  @Test
  void missingFile(@TempDir Path dir) {
    Path file = dir.resolve("policy.yaml");
    assertEquals(file + ": no such file",
        FileProblem.describe(file, new NoSuchFileException(file.toString())));
  }

  @Test
  void missingFolder(@TempDir Path dir) {
    Path file = dir.resolve("etc/policy.yaml");
    assertEquals(file + ": no such file (its folder " + dir.resolve("etc")
        + " does not exist either)",
        FileProblem.describe(file, new NoSuchFileException(file.toString())));
  }

  /** Built rather than provoked: the tests may run as root, who reads any file. */
  @Test
  void permissionDenied(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("policy.yaml"), "");
    assertEquals(file + ": permission denied (the proxy runs as "
        + System.getProperty("user.name") + ")",
        FileProblem.describe(file, new AccessDeniedException(file.toString())));
  }

  @Test
  void directory(@TempDir Path dir) {
    assertEquals(dir + ": is a directory, not a file",
        FileProblem.describe(dir, new IOException("Is a directory")));
  }

  @Test
  void otherFileSystemReasonsAreKept(@TempDir Path dir) {
    Path file = dir.resolve("x");
    assertEquals(file + ": Too many open files", FileProblem.describe(file,
        new FileSystemException(file.toString(), null, "Too many open files")));
  }

  @Test
  void relativePathSaysWhereItWasLookedFor() {
    Path file = Path.of("no-such-dir-here", "p.yaml");
    assertEquals(file + " (looked for at " + file.toAbsolutePath() + "): no such file (its folder "
        + file.toAbsolutePath().getParent() + " does not exist either)",
        FileProblem.describe(file, new NoSuchFileException(file.toString())));
  }
}
