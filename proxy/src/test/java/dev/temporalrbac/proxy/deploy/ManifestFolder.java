package dev.temporalrbac.proxy.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests of one folder of {@code deploy/kubernetes/} as {@code kubectl apply -k} would read
 * them: every {@code *.yaml} file but {@code kustomization.yaml}, each possibly holding several
 * documents. Immutable once read.
 */
final class ManifestFolder {
  /** The image name that marks the proxy's container (any registry, any tag). */
  static final String PROXY_IMAGE = "temporal-rbac-proxy";

  private final Path folder;
  private final List<KubeObject> objects;
  private final Map<String, Object> kustomization;

  private ManifestFolder(Path folder, List<KubeObject> objects, Map<String, Object> kustomization) {
    this.folder = folder;
    this.objects = objects;
    this.kustomization = kustomization;
  }

  /** {@code deploy/kubernetes/NAME} of the repository (the tests run in {@code proxy/}). */
  static ManifestFolder named(String name) throws IOException {
    Path folder = Path.of("..", "deploy", "kubernetes", name).toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new IOException("no manifest folder " + folder);
    }
    return read(folder);
  }

  static ManifestFolder read(Path folder) throws IOException {
    List<KubeObject> objects = new ArrayList<>();
    Map<String, Object> kustomization = Map.of();
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      String text = Files.readString(file);
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        kustomization = Yml.map(new Yaml(new LoaderOptions()).load(text));
      } else {
        objects.addAll(parse(file, text));
      }
    }
    return new ManifestFolder(folder, List.copyOf(objects), kustomization);
  }

  /** Every document of {@code text} (one manifest file's content), empty documents skipped. */
  static List<KubeObject> parse(Path file, String text) {
    List<KubeObject> out = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
      if (document != null) {
        out.add(new KubeObject(file, Yml.map(document)));
      }
    }
    return out;
  }

  Path folder() {
    return folder;
  }

  List<KubeObject> objects() {
    return objects;
  }

  /** The files {@code kustomization.yaml} lists under {@code resources}. */
  List<String> kustomizationResources() {
    return Yml.texts(kustomization, "resources");
  }

  List<KubeObject> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.kind())).toList();
  }

  /** The one object of {@code kind}; fails when there is none or more than one. */
  KubeObject only(String kind) {
    List<KubeObject> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError(folder.getFileName() + ": expected one " + kind + ", found "
          + found.size());
    }
    return found.get(0);
  }

  /** The ConfigMap {@code name} in {@code namespace}, or null when this folder has none. */
  KubeObject configMap(String namespace, String name) {
    return ofKind("ConfigMap").stream()
        .filter(c -> name.equals(c.name()) && namespace.equals(c.namespace()))
        .findFirst().orElse(null);
  }

  /** The workload that runs the proxy (a container whose image is the proxy's); exactly one. */
  ProxyContainer proxy() {
    List<ProxyContainer> found = new ArrayList<>();
    for (KubeObject o : objects) {
      for (String section : List.of("initContainers", "containers")) {
        for (Object c : Yml.list(o.podSpec(), section)) {
          String image = Yml.text(c, "image");
          if (image != null && image.contains("/" + PROXY_IMAGE + ":")) {
            found.add(new ProxyContainer(o, Yml.map(c), section.equals("initContainers")));
          }
        }
      }
    }
    if (found.size() != 1) {
      throw new AssertionError(folder.getFileName() + ": expected one proxy container (image "
          + PROXY_IMAGE + "), found " + found.size());
    }
    return found.get(0);
  }
}
