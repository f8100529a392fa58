package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every folder of {@code deploy/kubernetes/} checked against the proxy's real configuration: the
 * command line against {@code serve}'s options, the embedded {@code proxy.yaml} through
 * {@code ConfigLoader} in the pod's files as mounted, ports and probes against the configured and
 * served ones, the policy through {@code PolicyLoader}, and the README's JVM flags. Each check
 * lists every problem it finds.
 */
class KubernetesManifestsTest {
  @TempDir
  Path tmp;

  /** One folder's proxy, its files as mounted, and its configuration file. */
  private record Pod(ManifestFolder folder, ProxyContainer proxy, PodFilesystem files,
      PodConfig config) {}

  private Pod pod(String name) throws IOException {
    ManifestFolder folder = ManifestFolder.named(name);
    ProxyContainer proxy = folder.proxy();
    PodFilesystem files = PodFilesystem.of(folder, proxy, tmp.resolve("pod"));
    return new Pod(folder, proxy, files, PodConfig.of(proxy, files));
  }

  private ProxyConfig loaded(Pod pod) throws IOException {
    return pod.config().load(tmp);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void everyOptionOfTheProxysCommandIsAServeOption(String folder) throws IOException {
    ProxyContainer proxy = pod(folder).proxy();
    assertEquals(List.of(), ServeFlags.problems(proxy.where(), proxy.commandLine()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void proxyYamlLoadsWithTheRealConfigLoaderFromTheMountedFiles(String folder)
      throws IOException {
    Pod pod = pod(folder);
    assertEquals(List.of(), pod.files().problems());
    loaded(pod);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void containerPortsAreTheConfiguredListenAndAdminPorts(String folder) throws IOException {
    Pod pod = pod(folder);
    ProxyConfig config = loaded(pod);
    Set<Integer> expected = new TreeSet<>(List.of(config.admin().getPort()));
    if (!config.listen().getAddress().isLoopbackAddress()) {
      expected.add(config.listen().getPort()); // loopback only: nothing outside the pod dials it
    }
    assertEquals(expected, new TreeSet<>(pod.proxy().ports().values()), pod.proxy().where());
    assertEquals(config.admin().getPort(), pod.proxy().port("admin"),
        pod.proxy().where() + ": the port named admin");
    assertFalse(config.admin().getAddress().isLoopbackAddress(), pod.proxy().where()
        + ": the kubelet probes the pod IP, so admin must not listen on loopback only");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void everyNetworkPolicyGivesItsPortsAsNumbers(String folder) throws IOException {
    List<KubeObject> policies = ManifestFolder.named(folder).ofKind("NetworkPolicy");
    assertFalse(policies.isEmpty(), folder + ": no NetworkPolicy");
    List<String> problems = new ArrayList<>();
    policies.forEach(policy -> problems.addAll(NetworkPolicyPorts.named(policy)));
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void probesAskTheAdminPortForPathsItServes(String folder) throws Exception {
    Pod pod = pod(folder);
    int admin = loaded(pod).admin().getPort();
    List<String> problems = new ArrayList<>();
    Map<String, String> expectedPaths = Map.of("livenessProbe", "/healthz",
        "readinessProbe", "/readyz", "startupProbe", "/healthz");
    try (AdminPaths paths = new AdminPaths()) {
      for (Map.Entry<String, String> kind : expectedPaths.entrySet()) {
        Map<String, Object> probe = pod.proxy().probe(kind.getKey());
        if (probe.isEmpty() && kind.getKey().equals("startupProbe")) {
          continue;
        }
        String path = Yml.text(probe, "httpGet", "path");
        String where = pod.proxy().where() + " " + kind.getKey();
        if (!kind.getValue().equals(path)) {
          problems.add(where + ": path " + path + ", expected " + kind.getValue());
        } else if (paths.status(path) != 200) {
          problems.add(where + ": a ready proxy answers " + path + " " + paths.status(path));
        }
        Integer port = pod.proxy().port(Yml.text(probe, "httpGet", "port"));
        if (port == null || port != admin) {
          problems.add(where + ": port " + Yml.text(probe, "httpGet", "port")
              + " is not the admin port " + admin);
        }
      }
      Map<String, Object> annotations = pod.proxy().owner().podAnnotations();
      String scrapePath = String.valueOf(annotations.get("prometheus.io/path"));
      if (paths.status(scrapePath) != 200) {
        problems.add(pod.proxy().where() + ": prometheus.io/path " + scrapePath + " answers "
            + paths.status(scrapePath));
      }
      if (!String.valueOf(admin).equals(String.valueOf(annotations.get("prometheus.io/port")))) {
        problems.add(pod.proxy().where() + ": prometheus.io/port "
            + annotations.get("prometheus.io/port") + " is not the admin port " + admin);
      }
    }
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void everyFileTheConfigNamesIsMountedFromTheRightKindOfVolume(String folder)
      throws IOException {
    Pod pod = pod(folder);
    List<String> problems = new ArrayList<>(pod.files().problems());
    Map<String, String> settings = pod.config().settings();
    assertTrue(settings.containsKey("policy.directory") || settings.containsKey("policy.file"),
        pod.proxy().where() + ": no policy source");
    problems.addAll(MountRules.check(pod.proxy().where(), pod.files(), "--config",
        pod.config().configPath()));
    settings.forEach((key, value) -> {
      if (value.startsWith("/")) {
        problems.addAll(MountRules.check(pod.proxy().where(), pod.files(), key, value));
      }
    });
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void thePolicyConfigMapLoadsAsOnePolicy(String folder) throws IOException {
    Pod pod = pod(folder);
    Map<String, String> settings = pod.config().settings();
    String dir = settings.get("policy.directory");
    List<String> problems = dir != null
        ? PolicyDirectory.problems(pod.files().resolve(dir))
        : PolicyDirectory.problemsOfFile(pod.files().resolve(settings.get("policy.file")));
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void terminationGraceOutlastsThePreStopPauseAndShutdownGrace(String folder)
      throws IOException {
    Pod pod = pod(folder);
    long shutdownGrace = loaded(pod).shutdownGrace().toSeconds();
    String pause = Yml.text(pod.proxy().container(), "lifecycle", "preStop", "sleep", "seconds");
    String grace = Yml.text(pod.proxy().owner().podSpec(), "terminationGracePeriodSeconds");
    long pauseSeconds = pause == null ? 0 : Long.parseLong(pause);
    long given = grace == null ? 30 : Long.parseLong(grace); // Kubernetes' default
    assertTrue(given > pauseSeconds + shutdownGrace, pod.proxy().where()
        + ": terminationGracePeriodSeconds " + given + " must exceed the preStop pause "
        + pauseSeconds + "s + shutdown_grace " + shutdownGrace + "s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void theJvmRunsWithTheReadmesFlagsAndAHeapThatHoldsTheRequestBudget(String folder)
      throws IOException {
    Pod pod = pod(folder);
    ProxyConfig config = loaded(pod);
    List<String> options = pod.proxy().jvmOptions();
    String where = pod.proxy().where();
    for (String flag : readmeJvmFlags()) {
      boolean sized = flag.startsWith("-Xms") || flag.startsWith("-Xmx");
      assertTrue(sized ? options.stream().anyMatch(o -> o.startsWith(flag.substring(0, 4)))
          : options.contains(flag), where + ": the README's JVM flag " + flag + " in " + options);
    }
    long xms = Sizes.jvm(option(options, "-Xms"));
    long xmx = Sizes.jvm(option(options, "-Xmx"));
    assertEquals(xms, xmx, where + ": a fixed heap (-Xms = -Xmx), as the README says");
    long heldOnHeap = config.limits().requestBufferBytes() + config.limits().maxResponseBytes();
    assertTrue(xmx > heldOnHeap, where + ": -Xmx " + xmx + " must exceed the request budget"
        + " plus one response (" + heldOnHeap + " bytes, both held on the heap)");
    String limit = Yml.text(pod.proxy().resources(), "limits", "memory");
    assertTrue(limit != null && Sizes.quantity(limit) >= xmx + 256L * 1024 * 1024,
        where + ": memory limit " + limit + " must leave 256 MiB beside the heap");
    assertTrue(Yml.text(pod.proxy().resources(), "requests", "cpu") != null,
        where + ": a CPU request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void theProxyRunsLockedDown(String folder) throws IOException {
    Pod pod = pod(folder);
    assertEquals(List.of(), Lockdown.problems(pod.proxy(), pod.files()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void theKustomizationListsEveryManifest(String folder) throws IOException {
    ManifestFolder manifests = ManifestFolder.named(folder);
    Set<String> files = new TreeSet<>();
    try (Stream<Path> listing = Files.list(manifests.folder())) {
      listing.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(files::add);
    }
    assertEquals(files, new TreeSet<>(manifests.kustomizationResources()));
  }

  private static String option(List<String> options, String prefix) {
    return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(4))
        .reduce((a, b) -> b) // the JVM takes the last
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + options));
  }

  /** The options of the README's recommended command ("**JVM flags.**": `java ... -jar ...`). */
  static List<String> readmeJvmFlags() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("**JVM flags.**");
    assertTrue(section >= 0, "README.md has no **JVM flags.** paragraph");
    Matcher command = Pattern.compile("`java ([^`]*?)-jar ").matcher(readme);
    assertTrue(command.find(section), "no `java ... -jar` command after **JVM flags.**");
    List<String> flags = List.of(command.group(1).trim().split("\\s+"));
    assertFalse(flags.isEmpty(), "the README's JVM command has no flags");
    return flags;
  }
}
