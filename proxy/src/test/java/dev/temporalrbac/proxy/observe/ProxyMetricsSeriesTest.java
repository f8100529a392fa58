package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proxy.server.CallInfo;
import io.grpc.Status;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every method of the catalog gets series of its own: one decision and one upstream call per
 * method, then each per-method series in the Prometheus text must count exactly one call, and
 * there must be as many series as methods. The labels are taken from the protobuf descriptors
 * (service and method names), not from the proxy's rule table.
 */
class ProxyMetricsSeriesTest {
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(.*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** Labels that are not part of a method's identity. */
  private static final Set<String> NOT_METHOD = Set.of("decision", "reason", "code", "le");

  private final ProxyMetrics metrics =
      new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);

  @Test
  void noTwoCatalogMethodsShareASeries() {
    List<CatalogEntry> entries = MethodCatalog.load().entries();
    Set<Map<String, String>> methods = new HashSet<>();
    for (CatalogEntry entry : entries) {
      MethodDescriptor method = entry.descriptor();
      String service = method.getService().getName();
      CallInfo call = new CallInfo(service, method.getName(), entry.fullMethodName(), "", "");
      metrics.decided(Decisions.deny(Reason.MISSING_ROLE, "no"), call, true);
      metrics.upstreamClosed(call, Status.Code.OK, 1_000_000);
      methods.add(Map.of("service", service, "method", method.getName()));
    }
    assertEquals(entries.size(), methods.size(), "the descriptors name each method once");

    for (String series : List.of("temporal_rbac_decisions_total",
        "temporal_rbac_upstream_duration_seconds_count")) {
      Map<Map<String, String>, String> counts = perMethod(series);
      assertEquals(methods, counts.keySet(), series + ": one series per catalog method");
      counts.forEach((labels, value) -> assertTrue(Double.parseDouble(value) == 1.0,
          () -> series + labels + " counts " + value + " calls, so methods share it"));
    }
  }

  @Test
  void theCatalogHasShortMethodNamesInSeveralServices() {
    // what makes the test above worth having: without the service label these would collide
    Map<String, Set<String>> servicesByMethod = new HashMap<>();
    for (CatalogEntry entry : MethodCatalog.load().entries()) {
      servicesByMethod.computeIfAbsent(entry.descriptor().getName(), m -> new HashSet<>())
          .add(entry.descriptor().getService().getName());
    }
    Set<String> shared = servicesByMethod.entrySet().stream()
        .filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    assertTrue(shared.containsAll(Set.of("DeleteNamespace", "UpdateNamespace")), shared::toString);
  }

  @Test
  void sameShortNameInTwoServicesMakesTwoSeries() {
    CallInfo cloud = new CallInfo("CloudService", "DeleteNamespace", "c/DeleteNamespace", "", "");
    CallInfo operator =
        new CallInfo("OperatorService", "DeleteNamespace", "o/DeleteNamespace", "", "");
    metrics.upstreamClosed(cloud, Status.Code.OK, 1_000);
    metrics.upstreamClosed(operator, Status.Code.OK, 1_000);
    metrics.upstreamClosed(operator, Status.Code.OK, 1_000);

    Map<Map<String, String>, String> counts =
        perMethod("temporal_rbac_upstream_duration_seconds_count");
    assertEquals("1", counts.get(Map.of("service", "CloudService", "method", "DeleteNamespace")));
    assertEquals("2",
        counts.get(Map.of("service", "OperatorService", "method", "DeleteNamespace")));
  }

  /**
   * The samples of {@code name}, keyed by their labels other than decision, reason and code;
   * fails if two samples of one method appear (every call here has the same decision and code).
   */
  private Map<Map<String, String>, String> perMethod(String name) {
    Map<Map<String, String>, String> counts = new HashMap<>();
    for (String line : metrics.scrape().split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher label = LABEL.matcher(sample.group(2));
      while (label.find()) {
        if (!NOT_METHOD.contains(label.group(1))) {
          labels.put(label.group(1), label.group(2));
        }
      }
      assertEquals(Set.of("service", "method"), labels.keySet(), line);
      String before = counts.put(Map.copyOf(labels), sample.group(3));
      assertEquals(null, before, () -> "two samples for " + labels + " in " + name);
    }
    return counts;
  }
}
