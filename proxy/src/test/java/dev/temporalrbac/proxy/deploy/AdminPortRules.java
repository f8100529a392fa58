package dev.temporalrbac.proxy.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NetworkPolicy over the proxy's pods: every port it names is one of the container's, and the
 * admin port (no authentication: {@code /metrics}, {@code /healthz}, {@code /readyz}) admits only
 * pods of the {@code monitoring} namespace. Stateless.
 */
final class AdminPortRules {
  static final String MONITORING = "monitoring";

  private AdminPortRules() {}

  static List<String> problems(KubeObject policy, ProxyContainer proxy) {
    List<String> problems = new ArrayList<>();
    Integer admin = proxy.port("admin");
    boolean adminRule = false;
    for (Object rule : Yml.list(policy.body(), "spec", "ingress")) {
      for (Object port : Yml.list(rule, "ports")) {
        Integer number = proxy.port(Yml.text(port, "port"));
        if (number == null) {
          problems.add(policy.where() + ": port " + Yml.text(port, "port")
              + " is no container port of " + proxy.ports());
        } else if (number.equals(admin)) {
          adminRule = true;
          problems.addAll(monitoringOnly(policy, rule));
        }
      }
    }
    if (!adminRule) {
      problems.add(policy.where() + ": no rule for the admin port " + admin
          + " (Prometheus could not scrape /metrics)");
    }
    return problems;
  }

  private static List<String> monitoringOnly(KubeObject policy, Object rule) {
    List<String> problems = new ArrayList<>();
    List<Object> peers = Yml.list(rule, "from");
    if (peers.isEmpty()) {
      problems.add(policy.where() + ": the admin port admits every source");
    }
    for (Object peer : peers) {
      Map<String, Object> namespaces = Yml.map(peer, "namespaceSelector");
      if (namespaces.isEmpty()
          || !Selectors.matches(namespaces, Selectors.namespaceLabels(MONITORING))
          || Selectors.matches(namespaces, Selectors.namespaceLabels("some-other-namespace"))) {
        problems.add(policy.where() + ": the admin port admits " + peer + ", not only the "
            + MONITORING + " namespace");
      }
    }
    return problems;
  }
}
