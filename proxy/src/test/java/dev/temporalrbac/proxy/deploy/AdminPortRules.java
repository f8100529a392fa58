package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.proxy.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A NetworkPolicy over the proxy's pods: every port it names is a number, one of the ports the
 * proxy's configuration listens on (and a container port), and the admin port (no
 * authentication: {@code /metrics}, {@code /healthz}, {@code /readyz}) admits only pods of the
 * {@code monitoring} namespace; so does a rule without ports, which admits every port. Stateless.
 */
final class AdminPortRules {
  static final String MONITORING = "monitoring";

  private AdminPortRules() {}

  static List<String> problems(KubeObject policy, ProxyContainer proxy, ProxyConfig config) {
    List<String> problems = new ArrayList<>(NetworkPolicyPorts.named(policy));
    int admin = config.admin().getPort();
    Set<Integer> configured = new TreeSet<>(List.of(admin));
    if (!config.listen().getAddress().isLoopbackAddress()) {
      configured.add(config.listen().getPort());
    }
    boolean adminRule = false;
    for (Object rule : Yml.list(policy.body(), "spec", "ingress")) {
      List<Object> ports = Yml.list(rule, "ports");
      if (ports.isEmpty()) {
        adminRule = true;
        problems.addAll(monitoringOnly(policy, rule, "a rule without ports (every port)"));
      }
      for (Object port : ports) {
        Integer number = NetworkPolicyPorts.number(port);
        if (number == null) {
          continue; // reported as a name above
        }
        if (!configured.contains(number)) {
          problems.add(policy.where() + ": port " + number + " is none of the ports the proxy's"
              + " configuration listens on " + configured);
        } else if (proxy.port(String.valueOf(number)) == null) {
          problems.add(policy.where() + ": port " + number + " is no container port of "
              + proxy.ports());
        }
        if (number == admin) {
          adminRule = true;
          problems.addAll(monitoringOnly(policy, rule, "the admin port " + admin));
        }
      }
    }
    if (!adminRule) {
      problems.add(policy.where() + ": no rule for the admin port " + admin
          + " (Prometheus could not scrape /metrics)");
    }
    return problems;
  }

  /** Problems unless every peer of {@code rule} is in the monitoring namespace. */
  static List<String> monitoringOnly(KubeObject policy, Object rule, String what) {
    List<String> problems = new ArrayList<>();
    List<Object> peers = Yml.list(rule, "from");
    if (peers.isEmpty()) {
      problems.add(policy.where() + ": " + what + " admits every source");
    }
    for (Object peer : peers) {
      Map<String, Object> namespaces = Yml.map(peer, "namespaceSelector");
      if (namespaces.isEmpty()
          || !Selectors.matches(namespaces, Selectors.namespaceLabels(MONITORING))
          || Selectors.matches(namespaces, Selectors.namespaceLabels("some-other-namespace"))) {
        problems.add(policy.where() + ": " + what + " admits " + peer + ", not only the "
            + MONITORING + " namespace");
      }
    }
    return problems;
  }
}
