package dev.temporalrbac.proxy.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports a NetworkPolicy's rules name must be numbers. A port name is resolved by the network
 * plugin against the selected pods' container ports, and some do not look at init containers (a
 * native sidecar's ports): Calico before the fix of projectcalico/calico#8881, see also
 * kubernetes/kubernetes#125285. There the rule silently admits nothing. Stateless.
 */
final class NetworkPolicyPorts {
  private NetworkPolicyPorts() {}

  /** "where: ingress rule N: port X is a name, not a number" for each such port. */
  static List<String> named(KubeObject policy) {
    List<String> problems = new ArrayList<>();
    for (String direction : List.of("ingress", "egress")) {
      List<Object> rules = Yml.list(policy.body(), "spec", direction);
      for (int i = 0; i < rules.size(); i++) {
        for (Object port : Yml.list(rules.get(i), "ports")) {
          Object value = Yml.at(port, "port");
          if (value != null && !(value instanceof Integer)) {
            problems.add(policy.where() + ": " + direction + " rule " + (i + 1) + ": port '"
                + value + "' is a name, not a number (some network plugins do not resolve"
                + " names, and then the rule admits nothing)");
          }
        }
      }
    }
    return problems;
  }

  /** The rule's port as a number; null when it has none or names it. */
  static Integer number(Object port) {
    return Yml.at(port, "port") instanceof Integer number ? number : null;
  }
}
