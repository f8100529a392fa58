package dev.temporalrbac.proxy.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Kubernetes object of a manifest file: its parsed body and the file it came from, which every
 * problem found in it names.
 */
record KubeObject(Path file, Map<String, Object> body) {
  String kind() {
    return Yml.text(body, "kind");
  }

  String name() {
    return Yml.text(body, "metadata", "name");
  }

  String namespace() {
    return Yml.text(body, "metadata", "namespace");
  }

  /** {@code spec.template.spec} of a workload, or {@code spec} of a bare Pod. */
  Map<String, Object> podSpec() {
    return "Pod".equals(kind()) ? Yml.map(body, "spec") : Yml.map(body, "spec", "template", "spec");
  }

  /** The pod template's labels (a bare Pod's own). */
  Map<String, Object> podLabels() {
    return "Pod".equals(kind()) ? Yml.map(body, "metadata", "labels")
        : Yml.map(body, "spec", "template", "metadata", "labels");
  }

  /** The pod template's annotations (a bare Pod's own). */
  Map<String, Object> podAnnotations() {
    return "Pod".equals(kind()) ? Yml.map(body, "metadata", "annotations")
        : Yml.map(body, "spec", "template", "metadata", "annotations");
  }

  /** "file: Kind/name", how problems name this object. */
  String where() {
    return file.getFileName() + ": " + kind() + "/" + name();
  }
}
