package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyDocument;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A directory of policy files read as one policy: every non-hidden {@code *.yaml} / {@code *.yml}
 * regular file, in name order (see {@code PolicyLoader.parse(List, ...)}).
 *
 * <p>A Kubernetes ConfigMap mount is {@code <dir>/..data}, a symlink to a timestamped folder
 * ({@code ..2026_12_01_19_00_00.123}) holding the files, plus one symlink per key pointing into
 * {@code ..data}; an update writes a new folder and swaps {@code ..data} atomically, then deletes
 * the old folder. So when {@code ..data} exists it is resolved once per poll and every file is
 * read from that one folder, and it is resolved again afterwards: if it moved meanwhile the read
 * is dropped ({@link PolicyRead#MOVING}) and the next poll reads the new version. Two versions are
 * never mixed, and a folder being deleted is never read half. Without {@code ..data} the files are
 * read from the directory itself (replace them atomically, or use a single file with
 * {@code policy.settle}).
 *
 * <p>When signed, {@code policy.jws} in the same folder (a key of the same ConfigMap) is the
 * detached JWS over the files' {@code PolicyManifest}. Stateless.
 */
public final class DirectorySource implements PolicySource {
  static final String DATA = "..data";
  static final String SIGNATURE = "policy.jws";

  private final Path directory;
  private final boolean signed;
  /** Runs after the files are read, before ..data is resolved again: where a swap may fall. */
  private final Runnable afterFiles;

  /** @param signed whether {@code policy.jws} is read with the files */
  public DirectorySource(Path directory, boolean signed) {
    this(directory, signed, () -> {});
  }

  /** With a hook where a swap may fall, so tests place one there deterministically. */
  DirectorySource(Path directory, boolean signed, Runnable afterFiles) {
    this.directory = directory;
    this.signed = signed;
    this.afterFiles = afterFiles;
  }

  @Override
  public String describe() {
    return directory.toString();
  }

  @Override
  public PolicyRead read(String versionInForce) throws IOException {
    Path before = resolved();
    List<PolicyDocument> parts = new ArrayList<>();
    byte[] signature;
    try {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(before)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (isPolicyFile(name) && Files.isRegularFile(entry)) {
            parts.add(new PolicyDocument(name, directory.resolve(name).toString(),
                Files.readAllBytes(entry)));
          }
        }
      }
      signature = signed ? FileSource.signature(before.resolve(SIGNATURE)) : null;
      afterFiles.run();
    } catch (IOException e) {
      if (!Objects.equals(before, resolved())) {
        return PolicyRead.MOVING;
      }
      throw new IOException("cannot read the policy directory " + directory + ": " + e, e);
    }
    if (!Objects.equals(before, resolved())) {
      return PolicyRead.MOVING;
    }
    return PolicyRead.of(PolicyContent.files(parts, directory.toString()), signature);
  }

  /** A non-hidden {@code *.yaml} or {@code *.yml} name. */
  static boolean isPolicyFile(String name) {
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /** The folder to read: {@code ..data} resolved when it exists, else the directory. */
  private Path resolved() throws IOException {
    Path data = directory.resolve(DATA);
    try {
      if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
        return data.toRealPath();
      }
      if (!Files.isDirectory(directory)) {
        throw new IOException("not a directory");
      }
      return directory;
    } catch (IOException e) {
      throw new IOException("cannot read the policy directory " + directory + ": " + e, e);
    }
  }
}
