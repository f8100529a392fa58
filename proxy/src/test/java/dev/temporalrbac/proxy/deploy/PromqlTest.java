package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromqlTest {
  @Test
  void selectorLabelsAndGroupingLabelsAreNotNames() {
    Promql query = Promql.of("sum by (reason, decision) (rate(temporal_rbac_decisions_total"
        + "{job=~\"$job\", decision=~\"deny|dry_run_deny\"}[$__rate_interval]))");
    assertEquals(List.of("temporal_rbac_decisions_total"), query.metricNames());
    assertEquals(Map.of("temporal_rbac_decisions_total", Set.of("job", "decision")),
        query.selectorLabels());
    assertEquals(Set.of("reason", "decision"), query.groupLabels());
  }

  @Test
  void labelValuesThatLookLikeNamesAreNotNames() {
    Promql query = Promql.of("sum(rate(cache_gets_total{cache=\"policy_rights\","
        + " result='hit'}[5m])) / sum(rate(cache_gets_total{cache=`policy_rights`}[5m]))");
    assertEquals(List.of("cache_gets_total"), query.metricNames());
    assertEquals(Set.of("cache", "result"), query.selectorLabels().get("cache_gets_total"));
  }

  @Test
  void eachMatcherIsReadWithItsUnquotedValue() {
    Promql query = Promql.of("sum(rate(a_total{job=~\"$job\", code!~'OK|NOT_FOUND',"
        + " path=\"a\\\\.b\\\"c\"}[5m])) / b_count{result=`x|y`, le!=\"+Inf\"}");
    assertEquals(List.of(new LabelMatch("a_total", "job", "=~", "$job"),
        new LabelMatch("a_total", "code", "!~", "OK|NOT_FOUND"),
        new LabelMatch("a_total", "path", "=", "a\\.b\"c"),
        new LabelMatch("b_count", "result", "=", "x|y"),
        new LabelMatch("b_count", "le", "!=", "+Inf")), query.matches());
    assertTrue(query.matches().get(1).regex());
    assertEquals("b_count{le!=\"+Inf\"}", query.matches().get(4).toString());
  }

  @Test
  void functionsKeywordsDurationsNumbersAndVariablesAreNotNames() {
    Promql query = Promql.of("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket[5m])))"
        + " > 1e3 and time() - b_seconds > bool 900 * on (instance) group_left (version)"
        + " c_info offset 1h or vector(0) > $threshold");
    assertEquals(List.of("a_seconds_bucket", "b_seconds", "c_info"), query.metricNames());
    assertEquals(Set.of("le", "instance", "version"), query.groupLabels());
  }

  @Test
  void recordedNamesAreToldApart() {
    Promql query = Promql.of("job:denies:rate5m > 3 * sum by (job) "
        + "(rate(temporal_rbac_decisions_total[1h] offset 10m))");
    assertEquals(List.of("temporal_rbac_decisions_total"), query.metricNames());
    assertEquals(List.of("job:denies:rate5m"), query.recordedNames());
  }

  @Test
  void anUnbalancedExpressionIsRefusedWithTheExpression() {
    IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class,
        () -> Promql.of("sum(rate(x_total[5m])"));
    assertEquals("unclosed '(' in: sum(rate(x_total[5m])", unclosed.getMessage());
    IllegalArgumentException crossed = assertThrows(IllegalArgumentException.class,
        () -> Promql.of("rate(x_total{a=\"}\"[5m)]"));
    assertTrue(crossed.getMessage().startsWith("unbalanced"), crossed.getMessage());
  }
}
