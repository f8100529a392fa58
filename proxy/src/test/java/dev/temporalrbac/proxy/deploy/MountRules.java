package dev.temporalrbac.proxy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which kind of volume may hold a path the proxy's configuration names, and whether the mounts
 * provide it. Keys and private keys come from Secrets (never baked into an image or a ConfigMap);
 * the configuration and the policy from ConfigMaps (the policy directory is the whole ConfigMap,
 * so the kubelet's {@code ..data} swap reaches it); the audit file from a writable emptyDir.
 * Stateless.
 */
final class MountRules {
  /** Settings whose file is a credential. */
  private static final Set<String> SECRET_FILES = Set.of("upstream.credentials.api_key_file",
      "upstream.credentials.signing_key_file", "tls.key", "upstream.tls.key");

  private MountRules() {}

  /** The volume kind {@code key}'s file must come from, or null when any mount will do. */
  static String requiredKind(String key) {
    if (key.equals("--config") || key.equals("policy.directory") || key.equals("policy.file")
        || key.equals("policy.shadow.directory") || key.equals("policy.shadow.file")) {
      return "configMap";
    }
    if (SECRET_FILES.contains(key)) {
      return "secret";
    }
    return key.equals("audit.file") ? "emptyDir" : null;
  }

  /** What is wrong with the file {@code podPath} that setting {@code key} names. */
  static List<String> check(String where, PodFilesystem files, String key, String podPath) {
    List<String> problems = new ArrayList<>();
    String what = where + ": " + key + " " + podPath;
    PodFilesystem.Mount mount = files.mountOf(podPath);
    if (mount == null) {
      problems.add(what + " is on no volume the container mounts");
      return problems;
    }
    String kind = requiredKind(key);
    if (kind != null && !kind.equals(mount.kind())) {
      problems.add(what + " is on the " + mount.kind() + " " + mount.source() + " mounted at "
          + mount.path() + "; it must come from a " + kind);
    }
    boolean directory = key.endsWith("directory");
    if (directory && !mount.path().equals(podPath)) {
      problems.add(what + " must be a whole ConfigMap's mount point, not a folder inside "
          + mount.path());
    }
    Path local = files.resolve(podPath);
    boolean present = key.equals("audit.file") ? Files.isDirectory(local.getParent())
        : directory ? Files.isDirectory(local) : Files.isRegularFile(local);
    if (!present) {
      problems.add(what + " does not exist in the " + mount.kind() + " " + mount.source()
          + " mounted at " + mount.path());
    }
    return problems;
  }
}
