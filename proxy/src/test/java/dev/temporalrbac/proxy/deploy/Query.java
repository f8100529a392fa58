package dev.temporalrbac.proxy.deploy;

import java.util.Set;

/**
 * One PromQL query in a {@code deploy/} file.
 *
 * @param where what holds it, for messages (e.g. {@code dashboard panel "Heap" target A})
 * @param promql the expression
 * @param outputLabels labels the query's result must carry besides those it groups by (a
 *     Grafana {@code label_values(query, label)} variable's label)
 */
record Query(String where, String promql, Set<String> outputLabels) {
  Query(String where, String promql) {
    this(where, promql, Set.of());
  }

  Promql parsed() {
    try {
      return Promql.of(promql);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
  }
}
