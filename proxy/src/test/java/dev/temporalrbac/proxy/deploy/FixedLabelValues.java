package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.StatusCode;
import dev.temporalrbac.proxy.observe.ShadowResult;
import dev.temporalrbac.proxy.observe.Verdict;
import dev.temporalrbac.proxy.server.Rejection;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The labels of the proxy's metrics whose values are a fixed set, each set taken from the enum
 * the proxy labels with ({@code ProxyMetrics}' Javadoc; where the enum is out of reach, listed
 * here and checked against a live {@code /metrics}): a query that compares such a label with
 * a value outside the set (a typo, a renamed reason) selects nothing and says nothing. A regular
 * expression on such a label must be a plain list ({@code a|b}) of values of the set. Values with
 * a Grafana variable ({@code $job}) are not judged. Stateless.
 */
final class FixedLabelValues {
  /** The {@code result} of a shadow decision that threw: no {@link ShadowResult} constant. */
  static final String SHADOW_ERROR = "error";
  /**
   * The {@code kind} of {@code temporal_rbac_audit_dropped_total}: the labels of
   * {@code observe.AuditQueue.Kind}, which is package-private there, so listed here; both are
   * registered at once, and {@code DashboardMetricsTest} checks this list against a live
   * {@code /metrics} both ways.
   */
  static final Set<String> AUDIT_KINDS = Set.of("decision", "shadow");
  private static final Pattern PLAIN_LIST = Pattern.compile("[A-Za-z0-9_]+(\\|[A-Za-z0-9_]+)*");
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");

  private static final Set<String> VERDICTS = labels(Verdict.values(), Verdict::label);
  /** Metric name (a histogram's family name) to label to its values. */
  private static final Map<String, Map<String, Set<String>>> SETS = Map.of(
      "temporal_rbac_decisions_total",
      Map.of("decision", VERDICTS, "reason", labels(Reason.values(), Reason::label)),
      "temporal_rbac_identified_decisions_total", Map.of("decision", VERDICTS),
      "temporal_rbac_authentication_failures_total", Map.of("reason",
          labels(Stream.of(Reason.values()).filter(r -> r.status() == StatusCode.UNAUTHENTICATED)
              .toArray(Reason[]::new), Reason::label)),
      "temporal_rbac_rejected_calls_total",
      Map.of("reason", labels(Rejection.values(), Rejection::label)),
      "temporal_rbac_upstream_duration_seconds",
      Map.of("code", labels(Status.Code.values(), Status.Code::name)),
      "temporal_rbac_shadow_decisions_total", Map.of("result", Stream.concat(
          Stream.of(ShadowResult.values()).map(ShadowResult::label), Stream.of(SHADOW_ERROR))
          .collect(Collectors.toCollection(TreeSet::new))),
      "temporal_rbac_audit_dropped_total", Map.of("kind", new TreeSet<>(AUDIT_KINDS)));

  private FixedLabelValues() {}

  /** The values {@code label} of {@code metric} (or of its histogram family) takes; null if free. */
  static Set<String> of(String metric, String label) {
    return SETS.getOrDefault(family(metric), Map.of()).get(label);
  }

  /** "where: matcher: why" for each value a query compares a fixed-set label with wrongly. */
  static List<String> problems(List<Query> queries) {
    List<String> problems = new ArrayList<>();
    for (Query query : queries) {
      for (LabelMatch match : query.parsed().matches()) {
        Set<String> values = of(match.metric(), match.label());
        if (values == null || match.value().contains("$")) {
          continue;
        }
        if (match.regex() && !PLAIN_LIST.matcher(match.value()).matches()) {
          problems.add(query.where() + ": " + match + ": not a plain list of values (a|b) of "
              + values);
          continue;
        }
        List<String> wanted = match.regex() ? List.of(match.value().split("\\|"))
            : List.of(match.value());
        for (String value : wanted) {
          if (!values.contains(value)) {
            problems.add(query.where() + ": " + match + ": the proxy never labels "
                + match.label() + " \"" + value + "\" (it uses " + values + ")");
          }
        }
      }
    }
    return problems;
  }

  /**
   * "metric{label}: value" for each value {@code metrics} shows for a fixed-set label outside
   * its set: the sets here must be the proxy's.
   */
  static List<String> unknownOn(Exposition metrics) {
    List<String> unknown = new ArrayList<>();
    SETS.forEach((metric, labels) -> labels.forEach((label, values) -> {
      for (String value : metrics.valuesOf(metric).getOrDefault(label, Set.of())) {
        if (!values.contains(value)) {
          unknown.add(metric + "{" + label + "}: " + value);
        }
      }
    }));
    return unknown;
  }

  /** The metrics whose labels are judged here, for a check that each is on /metrics. */
  static Set<String> metrics() {
    return SETS.keySet();
  }

  private static String family(String metric) {
    for (String suffix : HISTOGRAM_SUFFIXES) {
      String base = metric.endsWith(suffix)
          ? metric.substring(0, metric.length() - suffix.length()) : null;
      if (base != null && SETS.containsKey(base)) {
        return base;
      }
    }
    return metric;
  }

  private static <T> Set<String> labels(T[] constants, Function<T, String> label) {
    return Arrays.stream(constants).map(label).collect(Collectors.toCollection(TreeSet::new));
  }
}
