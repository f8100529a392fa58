package dev.temporalrbac.proxy.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's container in a workload: how it starts the JVM and {@code serve}, its ports, probes
 * and mounts, read from the manifest as the kubelet would.
 *
 * @param owner the workload (Deployment or Pod)
 * @param container the container's entry of the pod spec
 * @param init true when it is an init container (a native sidecar when restartPolicy is Always)
 */
record ProxyContainer(KubeObject owner, Map<String, Object> container, boolean init) {
  String name() {
    return Yml.text(container, "name");
  }

  /** command then args, as the kubelet runs them. */
  List<String> argv() {
    List<String> argv = new ArrayList<>(Yml.texts(container, "command"));
    argv.addAll(Yml.texts(container, "args"));
    return argv;
  }

  /** The JVM's options: those before {@code -jar}, then JAVA_TOOL_OPTIONS' (the JVM reads both). */
  List<String> jvmOptions() {
    List<String> argv = argv();
    int jar = argv.indexOf("-jar");
    List<String> options = new ArrayList<>(jar < 1 ? List.of() : argv.subList(1, jar));
    String toolOptions = env().get("JAVA_TOOL_OPTIONS");
    if (toolOptions != null && !toolOptions.isBlank()) {
      options.addAll(Arrays.asList(toolOptions.trim().split("\\s+")));
    }
    return options;
  }

  /** What follows the jar: the command ({@code serve}) and its options. */
  List<String> commandLine() {
    List<String> argv = argv();
    int jar = argv.indexOf("-jar");
    return jar < 0 || jar + 2 > argv.size() ? List.of() : argv.subList(jar + 2, argv.size());
  }

  /**
   * {@code serve}'s options as flag name (without {@code --}) to value, in order; {@code --flag
   * value} and {@code --flag=value} both read. A flag without a value maps to "".
   */
  Map<String, String> serveOptions() {
    return options(commandLine());
  }

  static Map<String, String> options(List<String> commandLine) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < commandLine.size(); i++) {
      String token = commandLine.get(i);
      if (!token.startsWith("--")) {
        continue;
      }
      int eq = token.indexOf('=');
      if (eq > 0) {
        options.put(token.substring(2, eq), token.substring(eq + 1));
      } else if (i + 1 < commandLine.size() && !commandLine.get(i + 1).startsWith("--")) {
        options.put(token.substring(2), commandLine.get(++i));
      } else {
        options.put(token.substring(2), "");
      }
    }
    return options;
  }

  /** Environment variables with a literal value (those taken from a Secret are not included). */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : Yml.list(container, "env")) {
      String value = Yml.text(e, "value");
      if (value != null) {
        env.put(Yml.text(e, "name"), value);
      }
    }
    return env;
  }

  /** Container port name (or the number as text when unnamed) to port number. */
  Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : Yml.list(container, "ports")) {
      String number = Yml.text(p, "containerPort");
      String name = Yml.text(p, "name");
      ports.put(name == null ? number : name, Integer.parseInt(number));
    }
    return ports;
  }

  /** A port given by name or number, as a number; null when it names no container port. */
  Integer port(String nameOrNumber) {
    if (nameOrNumber == null) {
      return null;
    }
    if (nameOrNumber.chars().allMatch(Character::isDigit)) {
      int number = Integer.parseInt(nameOrNumber);
      return ports().containsValue(number) ? number : null;
    }
    return ports().get(nameOrNumber);
  }

  /** {@code livenessProbe}, {@code readinessProbe} or {@code startupProbe}; empty if none. */
  Map<String, Object> probe(String kind) {
    return Yml.map(container, kind);
  }

  List<Object> volumeMounts() {
    return Yml.list(container, "volumeMounts");
  }

  Map<String, Object> securityContext() {
    return Yml.map(container, "securityContext");
  }

  Map<String, Object> resources() {
    return Yml.map(container, "resources");
  }

  /** "file: Kind/name container NAME", how problems name this container. */
  String where() {
    return owner.where() + " container " + name();
  }
}
