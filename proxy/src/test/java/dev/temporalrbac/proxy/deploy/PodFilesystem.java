package dev.temporalrbac.proxy.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files the proxy's container sees, laid out under a temporary root as the kubelet would
 * mount them: ConfigMaps of the same folder with their data, Secrets (not in the folder: never
 * commit a key) with a made-up value for each listed item, emptyDirs empty. ConfigMap and Secret
 * volumes get the kubelet's atomic-writer layout ({@code ..<timestamp>/}, {@code ..data} and one
 * symlink per key), so a reader that follows {@code ..data} is tested as in a pod.
 *
 * <p>Problems (a mount of no volume, a ConfigMap not in the folder, a Secret without items, a
 * {@code subPath}) are collected, not thrown.
 */
final class PodFilesystem {
  /** A mounted volume: where, of which kind ({@code configMap}, {@code secret}, …), which source. */
  record Mount(String path, String kind, String source) {}

  private final Path root;
  private final List<Mount> mounts = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private PodFilesystem(Path root) {
    this.root = root;
  }

  /** Lays out every volume {@code proxy} mounts under {@code root}. */
  static PodFilesystem of(ManifestFolder folder, ProxyContainer proxy, Path root)
      throws IOException {
    PodFilesystem fs = new PodFilesystem(root);
    Map<String, Object> volumes = new LinkedHashMap<>();
    for (Object v : Yml.list(proxy.owner().podSpec(), "volumes")) {
      volumes.put(Yml.text(v, "name"), v);
    }
    for (Object m : proxy.volumeMounts()) {
      fs.mount(folder, proxy, Yml.text(m, "name"), Yml.text(m, "mountPath"), m, volumes);
    }
    return fs;
  }

  private void mount(ManifestFolder folder, ProxyContainer proxy, String name, String path,
      Object mount, Map<String, Object> volumes) throws IOException {
    String where = proxy.where() + " mount " + name + " at " + path;
    if (Yml.text(mount, "subPath") != null) {
      problems.add(where + ": subPath mounts are never updated by the kubelet; mount the whole"
          + " volume as a directory");
      return;
    }
    Object volume = volumes.get(name);
    if (volume == null) {
      problems.add(where + ": no volume named " + name + " in the pod");
      return;
    }
    Path dir = resolve(path);
    Files.createDirectories(dir);
    if (Yml.at(volume, "configMap") != null) {
      String cm = Yml.text(volume, "configMap", "name");
      mounts.add(new Mount(path, "configMap", cm));
      KubeObject map = folder.configMap(proxy.owner().namespace(), cm);
      if (map == null) {
        problems.add(where + ": ConfigMap " + cm + " is not in " + folder.folder().getFileName());
        return;
      }
      Map<String, String> files = new LinkedHashMap<>();
      Yml.map(map.body(), "data").forEach((k, v) -> files.put(k, String.valueOf(v)));
      atomicWriterLayout(dir, files);
    } else if (Yml.at(volume, "secret") != null) {
      String secret = Yml.text(volume, "secret", "secretName");
      mounts.add(new Mount(path, "secret", secret));
      List<Object> items = Yml.list(volume, "secret", "items");
      if (items.isEmpty()) {
        problems.add(where + ": Secret " + secret + " lists no items: name the keys the proxy"
            + " reads, so that only they are mounted");
      }
      Map<String, String> files = new LinkedHashMap<>();
      for (Object item : items) {
        files.put(Yml.text(item, "path"), "made-up-value-of-" + Yml.text(item, "key") + "\n");
      }
      atomicWriterLayout(dir, files);
    } else if (Yml.at(volume, "emptyDir") != null) {
      mounts.add(new Mount(path, "emptyDir", name));
    } else {
      mounts.add(new Mount(path, "other", name));
    }
  }

  /** As the kubelet writes a ConfigMap or Secret volume: the files behind {@code ..data}. */
  private static void atomicWriterLayout(Path dir, Map<String, String> files) throws IOException {
    Path version = dir.resolve("..2026_01_01_00_00_00.000000001");
    Files.createDirectories(version);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(version.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
    for (String key : files.keySet()) {
      Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
    }
  }

  /** Where the pod's absolute {@code podPath} is under the root. */
  Path resolve(String podPath) {
    return root.resolve(podPath.substring(podPath.startsWith("/") ? 1 : 0));
  }

  /** The mount that holds {@code podPath} (the deepest one), or null when none does. */
  Mount mountOf(String podPath) {
    Mount best = null;
    for (Mount m : mounts) {
      String prefix = m.path().endsWith("/") ? m.path() : m.path() + "/";
      if ((podPath.equals(m.path()) || podPath.startsWith(prefix))
          && (best == null || m.path().length() > best.path().length())) {
        best = m;
      }
    }
    return best;
  }

  List<Mount> mounts() {
    return List.copyOf(mounts);
  }

  /** What could not be mounted, each naming the container and the mount. */
  List<String> problems() {
    return List.copyOf(problems);
  }
}
