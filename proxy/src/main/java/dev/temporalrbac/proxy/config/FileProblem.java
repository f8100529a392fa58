package dev.temporalrbac.proxy.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file could not be read, in words a newcomer can act on ("no such file", "is a
 * directory", "permission denied"), with the path and, for a relative one, where it was looked
 * for. The JDK's exceptions often carry only the path. Stateless.
 */
public final class FileProblem {
  private FileProblem() {}

  /**
   * {@code "PATH: no such file"} and the like; for a relative path, {@code "PATH (looked for at
   * /ABSOLUTE/PATH): …"}.
   */
  public static String describe(Path file, IOException e) {
    return shown(file) + ": " + reason(file, e);
  }

  /** The reason alone: no such file, is a directory, permission denied, or the JDK's words. */
  public static String reason(Path file, IOException e) {
    if (Files.isDirectory(file)) {
      return "is a directory, not a file";
    }
    if (e instanceof NoSuchFileException) {
      Path parent = file.toAbsolutePath().getParent();
      return parent != null && !Files.isDirectory(parent)
          ? "no such file (its folder " + parent + " does not exist either)" : "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied (the proxy runs as " + System.getProperty("user.name") + ")";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The path as given, plus its absolute form when it is relative. */
  public static String shown(Path file) {
    return file.isAbsolute() ? file.toString()
        : file + " (looked for at " + file.toAbsolutePath().normalize() + ")";
  }
}
