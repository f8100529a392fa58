package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FixedLabelValuesTest {
  @Test
  void valuesOutsideTheProxysSetsAreNamedWithTheirQuery() {
    List<Query> queries = List.of(
        new Query("q1", "sum(rate(temporal_rbac_decisions_total{job=~\"$job\","
            + " decision=~\"deny|dry_run_deny\", reason=\"no_polcy\"}[5m]))"),
        new Query("q2", "rate(temporal_rbac_upstream_duration_seconds_count"
            + "{code=~\"UNAVAILABLE|INTERNEL\", code!=\"OK\"}[5m])"),
        new Query("q3", "temporal_rbac_shadow_decisions_total{result=~\"would_.*\"}"
            + " + temporal_rbac_shadow_decisions_total{result=\"error\"}"),
        new Query("q4", "cache_gets_total{cache=\"anything\", result=\"hit\"}"),
        new Query("q5", "increase(temporal_rbac_audit_dropped_total{kind=\"decisions\"}[5m])"
            + " + increase(temporal_rbac_audit_dropped_total{kind=\"shadow\"}[5m])"));

    assertEquals(List.of(
        "q1: temporal_rbac_decisions_total{reason=\"no_polcy\"}: the proxy never labels reason"
            + " \"no_polcy\" (it uses " + FixedLabelValues.of("temporal_rbac_decisions_total",
            "reason") + ")",
        "q2: temporal_rbac_upstream_duration_seconds_count{code=~\"UNAVAILABLE|INTERNEL\"}: the"
            + " proxy never labels code \"INTERNEL\" (it uses " + FixedLabelValues.of(
            "temporal_rbac_upstream_duration_seconds", "code") + ")",
        "q3: temporal_rbac_shadow_decisions_total{result=~\"would_.*\"}: not a plain list of"
            + " values (a|b) of " + FixedLabelValues.of("temporal_rbac_shadow_decisions_total",
            "result"),
        "q5: temporal_rbac_audit_dropped_total{kind=\"decisions\"}: the proxy never labels kind"
            + " \"decisions\" (it uses [decision, shadow])"), FixedLabelValues.problems(queries));
  }

  @Test
  void theSetsAreTheProxysLabels() {
    Set<String> reasons = FixedLabelValues.of("temporal_rbac_decisions_total", "reason");
    assertTrue(reasons.containsAll(Set.of("no_policy", "missing_role", "unknown_key")), reasons.toString());
    assertEquals(Set.of("allow", "deny", "dry_run_deny"),
        FixedLabelValues.of("temporal_rbac_decisions_total", "decision"));
    assertTrue(FixedLabelValues.of("temporal_rbac_upstream_duration_seconds_bucket", "code")
        .containsAll(Set.of("OK", "UNAVAILABLE", "DEADLINE_EXCEEDED")));
    assertTrue(FixedLabelValues.of("temporal_rbac_shadow_decisions_total", "result")
        .containsAll(Set.of("same", "would_allow", "would_deny", "error")));
    assertEquals(Set.of("decision", "shadow"),
        FixedLabelValues.of("temporal_rbac_audit_dropped_total", "kind"));
    assertNull(FixedLabelValues.of("temporal_rbac_decisions_total", "method"));
  }

  @Test
  void aValueOnMetricsOutsideItsSetIsNamed() {
    Exposition metrics = Exposition.parse(
        "temporal_rbac_decisions_total{decision=\"allow\",reason=\"allowed\"} 1\n"
        + "temporal_rbac_decisions_total{decision=\"maybe\",reason=\"allowed\"} 1\n");
    assertEquals(List.of("temporal_rbac_decisions_total{decision}: maybe"),
        FixedLabelValues.unknownOn(metrics));
    assertEquals(Map.of(), Exposition.parse("").valuesOf("temporal_rbac_decisions_total"));
  }
}
