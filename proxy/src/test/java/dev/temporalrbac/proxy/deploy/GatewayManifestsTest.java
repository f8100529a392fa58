package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes/gateway}: the objects around the proxy's Deployment select its pods and
 * name its ports, two replicas stay up, and the frontend admits the gateways and no other client
 * (and Prometheus to its metrics).
 */
class GatewayManifestsTest {
  /**
   * The metrics port of Temporal's Helm chart: the server pods' containerPort "metrics" and their
   * prometheus.io/port annotation.
   */
  private static final int TEMPORAL_METRICS_PORT = 9090;

  private ManifestFolder folder;
  private ProxyContainer proxy;
  private Map<String, Object> podLabels;

  @BeforeEach
  void read() throws IOException {
    folder = ManifestFolder.named("gateway");
    proxy = folder.proxy();
    podLabels = proxy.owner().podLabels();
  }

  @Test
  void theServiceSelectsTheGatewaysAndTargetsTheirPorts() {
    KubeObject service = folder.only("Service");
    assertTrue(Selectors.matches(Map.of("matchLabels", Yml.map(service.body(), "spec", "selector")),
        podLabels), service.where() + ": the selector does not select " + podLabels);
    Set<Integer> targets = new TreeSet<>();
    for (Object port : Yml.list(service.body(), "spec", "ports")) {
      Integer target = proxy.port(Yml.text(port, "targetPort"));
      assertTrue(target != null, service.where() + ": targetPort " + Yml.text(port, "targetPort")
          + " is no container port of " + proxy.ports());
      targets.add(target);
    }
    assertEquals(new TreeSet<>(proxy.ports().values()), targets,
        service.where() + ": the gRPC and admin ports");
  }

  @Test
  void twoGatewaysStayUpThroughScalingAndDisruptions() {
    KubeObject hpa = folder.only("HorizontalPodAutoscaler");
    KubeObject deployment = proxy.owner();
    assertEquals("autoscaling/v2", Yml.text(hpa.body(), "apiVersion"));
    assertEquals(List.of("apps/v1", "Deployment", deployment.name()), List.of(
        Yml.text(hpa.body(), "spec", "scaleTargetRef", "apiVersion"),
        Yml.text(hpa.body(), "spec", "scaleTargetRef", "kind"),
        Yml.text(hpa.body(), "spec", "scaleTargetRef", "name")), hpa.where());
    int minReplicas = Integer.parseInt(Yml.text(hpa.body(), "spec", "minReplicas"));
    assertTrue(minReplicas >= 2, hpa.where() + ": minReplicas " + minReplicas);
    String replicas = Yml.text(deployment.body(), "spec", "replicas");
    assertTrue(replicas == null || Integer.parseInt(replicas) >= 2, deployment.where()
        + ": replicas " + replicas + " (leave it to the HPA, or at least 2)");
    Object cpu = Yml.list(hpa.body(), "spec", "metrics").stream()
        .filter(m -> "cpu".equals(Yml.text(m, "resource", "name"))).findFirst().orElse(null);
    assertEquals("Utilization", Yml.text(cpu, "resource", "target", "type"), hpa.where());
    for (Object container : Yml.list(deployment.podSpec(), "containers")) {
      assertTrue(Yml.text(container, "resources", "requests", "cpu") != null, deployment.where()
          + ": CPU utilization needs a CPU request on every container");
    }

    KubeObject pdb = folder.only("PodDisruptionBudget");
    assertTrue(Selectors.matches(Yml.map(pdb.body(), "spec", "selector"), podLabels),
        pdb.where() + ": the selector does not select " + podLabels);
    String maxUnavailable = Yml.text(pdb.body(), "spec", "maxUnavailable");
    String minAvailable = Yml.text(pdb.body(), "spec", "minAvailable");
    assertTrue(maxUnavailable != null ? Integer.parseInt(maxUnavailable) >= 1
        : Integer.parseInt(minAvailable) < minReplicas, pdb.where()
        + ": must let a drain evict one of " + minReplicas + " gateways, and keep one");

    boolean spreadOverNodes = Yml.list(deployment.podSpec(), "topologySpreadConstraints").stream()
        .anyMatch(c -> "kubernetes.io/hostname".equals(Yml.text(c, "topologyKey"))
            && Selectors.matches(Yml.map(c, "labelSelector"), podLabels));
    assertTrue(spreadOverNodes, deployment.where() + ": no spread of its own pods over nodes");
  }

  @Test
  void theFrontendAdmitsTheGatewaysAndNoOtherClient(@TempDir Path tmp) throws IOException {
    String target = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp))
        .settings().get("upstream.target");
    String upstreamPort = target.substring(target.lastIndexOf(':') + 1);
    KubeObject frontend = frontendPolicy();
    String[] host = target.substring(0, target.lastIndexOf(':')).split("\\.");
    assertTrue(host.length > 1 && host[1].equals(frontend.namespace()), frontend.where()
        + ": in namespace " + frontend.namespace() + ", but the upstream is " + target);
    assertTrue(Yml.texts(frontend.body(), "spec", "policyTypes").contains("Ingress"));
    List<String> problems = new ArrayList<>();
    boolean gatewayAdmitted = false;
    for (Object rule : Yml.list(frontend.body(), "spec", "ingress")) {
      boolean upstreamPortRule = Yml.list(rule, "ports").stream()
          .anyMatch(p -> upstreamPort.equals(Yml.text(p, "port")));
      if (!upstreamPortRule) {
        continue;
      }
      if (Yml.list(rule, "from").isEmpty()) {
        problems.add("a rule admits every source to port " + upstreamPort);
      }
      for (Object peer : Yml.list(rule, "from")) {
        Map<String, Object> namespaces = Yml.map(peer, "namespaceSelector");
        boolean gateway = !namespaces.isEmpty()
            && Selectors.matches(namespaces, Selectors.namespaceLabels(proxy.owner().namespace()))
            && !Selectors.matches(namespaces, Selectors.namespaceLabels("some-other-namespace"))
            && Yml.at(peer, "podSelector") != null
            && Selectors.matches(Yml.map(peer, "podSelector"), podLabels);
        boolean sameNamespacePods = Yml.at(peer, "namespaceSelector") == null
            && Yml.at(peer, "ipBlock") == null && !Yml.map(peer, "podSelector").isEmpty();
        gatewayAdmitted |= gateway;
        if (!gateway && !sameNamespacePods) {
          problems.add("port " + upstreamPort + " admits " + peer
              + ": only the gateways (their namespace and labels) or Temporal's own pods");
        }
      }
    }
    assertTrue(gatewayAdmitted, frontend.where() + ": no rule admits the gateways to port "
        + upstreamPort);
    assertEquals(List.of(), problems, frontend.where());
  }

  @Test
  void prometheusStillScrapesTheFrontendsOwnMetrics() {
    KubeObject frontend = frontendPolicy();
    List<String> problems = new ArrayList<>(NetworkPolicyPorts.named(frontend));
    boolean metricsRule = false;
    for (Object rule : Yml.list(frontend.body(), "spec", "ingress")) {
      List<Object> ports = Yml.list(rule, "ports");
      if (ports.stream().anyMatch(p -> Integer.valueOf(TEMPORAL_METRICS_PORT)
          .equals(NetworkPolicyPorts.number(p)))) {
        metricsRule = true;
        problems.addAll(AdminPortRules.monitoringOnly(frontend, rule,
            "the metrics port " + TEMPORAL_METRICS_PORT));
      }
    }
    assertTrue(metricsRule, frontend.where() + ": no rule admits Prometheus to the frontend's"
        + " metrics port " + TEMPORAL_METRICS_PORT);
    assertEquals(List.of(), problems);
  }

  @Test
  void theGatewaysAdminPortAdmitsOnlyTheMonitoringNamespace(@TempDir Path tmp)
      throws IOException {
    KubeObject own = folder.ofKind("NetworkPolicy").stream()
        .filter(p -> proxy.owner().namespace().equals(p.namespace())).findFirst()
        .orElseThrow(() -> new AssertionError("no NetworkPolicy in the gateways' namespace"));
    assertTrue(Selectors.matches(Yml.map(own.body(), "spec", "podSelector"), podLabels),
        own.where() + ": does not select the gateways " + podLabels);
    ProxyConfig config = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp.resolve("pod")))
        .load(tmp);
    assertEquals(List.of(), AdminPortRules.problems(own, proxy, config));
  }

  private KubeObject frontendPolicy() {
    return folder.ofKind("NetworkPolicy").stream()
        .filter(p -> !proxy.owner().namespace().equals(p.namespace())).findFirst()
        .orElseThrow(() -> new AssertionError("no NetworkPolicy outside the gateways' namespace"));
  }
}
