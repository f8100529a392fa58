package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proxy.server.CallInfo;
import dev.temporalrbac.proxy.server.Rejection;
import io.grpc.Status;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
  private final ProxyMetrics metrics =
      new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);

  private void assertSample(String expected) {
    Scrapes.assertSample(metrics.scrape(), expected);
  }

  private long count(String prefix) {
    return Scrapes.count(metrics.scrape(), prefix);
  }

  @Test
  void countsDecisionsByVerdictAndReason() {
    metrics.decided(Decisions.allow(), Decisions.START_CALL, true);
    metrics.decided(Decisions.allow(), Decisions.START_CALL, true);
    metrics.decided(Decisions.allow(), Decisions.START_CALL, false); // dry run, still an allow
    metrics.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION, "no"),
        Decisions.START_CALL, true);
    metrics.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION, "no"),
        Decisions.START_CALL, false);
    metrics.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION, "no"),
        Decisions.START_CALL, false);
    CallInfo other = new CallInfo("other", "other", "x.Y/Z", "", "");
    metrics.decided(Decisions.deny(Reason.UNKNOWN_METHOD, "no rule"), other, true);

    String prefix = "temporal_rbac_decisions_total{decision=";
    assertSample(prefix + "\"allow\",method=\"StartWorkflowExecution\",reason=\"allowed\","
        + "service=\"workflow\"} 3.0");
    assertSample(prefix + "\"deny\",method=\"StartWorkflowExecution\","
        + "reason=\"missing_namespace_permission\",service=\"workflow\"} 1.0");
    assertSample(prefix + "\"dry_run_deny\",method=\"StartWorkflowExecution\","
        + "reason=\"missing_namespace_permission\",service=\"workflow\"} 2.0");
    assertSample(prefix + "\"deny\",method=\"other\",reason=\"unknown_method\","
        + "service=\"other\"} 1.0");
    assertEquals(4, count("temporal_rbac_decisions_total{"));
    assertFalse(metrics.scrape().contains("dev@example.com"), "no principal label");
    assertFalse(metrics.scrape().contains("orders"), "no namespace label");
  }

  @Test
  void countsAuthenticationFailures() {
    metrics.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, true);
    metrics.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, false);
    metrics.decided(Decisions.deny(Reason.NO_CREDENTIALS, "none"), Decisions.START_CALL, true);
    metrics.decided(Decisions.deny(Reason.MISSING_ROLE, "role"), Decisions.START_CALL, true);

    assertSample("temporal_rbac_authentication_failures_total{reason=\"unknown_key\"} 2.0");
    assertSample("temporal_rbac_authentication_failures_total{reason=\"no_credentials\"} 1.0");
    assertSample("temporal_rbac_authentication_failures_total{reason=\"key_expired\"} 0.0");
    assertEquals(0, count("temporal_rbac_authentication_failures_total{reason=\"missing_role\""));
  }

  @Test
  void countsTokenAndCertificateRefusalsAsAuthenticationFailures() {
    metrics.decided(Decisions.identified(Reason.TOKEN_EXPIRED, "expired", "jwt", "ci-bot"),
        Decisions.START_CALL, true);
    metrics.decided(Decisions.identified(Reason.TOKEN_UNKNOWN_KEY, "kid", "jwt", ""),
        Decisions.START_CALL, false);
    metrics.decided(Decisions.identified(Reason.CERTIFICATE_UNKNOWN_PRINCIPAL, "who", "mtls",
        "spiffe://example.org/ns/x"), Decisions.START_CALL, true);

    assertSample("temporal_rbac_authentication_failures_total{reason=\"token_expired\"} 1.0");
    assertSample("temporal_rbac_authentication_failures_total{reason=\"token_unknown_key\"} 1.0");
    assertSample("temporal_rbac_authentication_failures_total"
        + "{reason=\"certificate_unknown_principal\"} 1.0");
    // every refusal reason has its series from the start, at zero until it happens
    for (String reason : List.of("token_malformed", "token_forbidden_algorithm",
        "token_bad_signature", "token_not_yet_valid", "token_wrong_issuer",
        "token_wrong_audience", "token_unknown_subject", "certificate_no_name",
        "certificate_filter_mismatch")) {
      assertSample("temporal_rbac_authentication_failures_total{reason=\"" + reason + "\"} 0.0");
    }
    assertFalse(metrics.scrape().contains("ci-bot"), "no subject label");
    assertFalse(metrics.scrape().contains("spiffe://"), "no certificate name label");
  }

  @Test
  void countsDecisionsByHowTheCallerWasIdentified() {
    metrics.decided(Decisions.identified(Reason.ALLOWED, "ok", "jwt", "ci-bot"),
        Decisions.START_CALL, true);
    metrics.decided(Decisions.identified(Reason.ALLOWED, "ok", "jwt", "ci-bot"),
        Decisions.START_CALL, true);
    metrics.decided(Decisions.identified(Reason.MISSING_ROLE, "no", "mtls", "worker"),
        Decisions.START_CALL, true);
    metrics.decided(Decisions.identified(Reason.MISSING_ROLE, "no", "api_key", "k1"),
        Decisions.START_CALL, false);
    metrics.decided(Decisions.identified(Reason.NO_CREDENTIALS, "none", "", ""),
        Decisions.START_CALL, true);

    String name = "temporal_rbac_identified_decisions_total";
    assertSample(name + "{decision=\"allow\",identified_by=\"jwt\"} 2.0");
    assertSample(name + "{decision=\"deny\",identified_by=\"mtls\"} 1.0");
    assertSample(name + "{decision=\"dry_run_deny\",identified_by=\"api_key\"} 1.0");
    assertSample(name + "{decision=\"deny\",identified_by=\"none\"} 1.0");
    assertSample(name + "{decision=\"allow\",identified_by=\"principal\"} 0.0");
    assertEquals(3 * 5, count(name + "{"), "verdicts x (four kinds and none), all up front");
  }

  @Test
  void jwksAgeIsReadAtEachScrape() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    java.util.concurrent.atomic.AtomicReference<Instant> loaded =
        new java.util.concurrent.atomic.AtomicReference<>(now.minusSeconds(90));
    metrics.jwksAge(loaded::get, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    assertSample("temporal_rbac_jwks_age_seconds 90.0"); // last loaded 90 s ago
    loaded.set(now); // a successful refresh
    assertSample("temporal_rbac_jwks_age_seconds 0.0");
  }

  @Test
  void countsCallsTheProxyEndedItselfByReason() {
    metrics.callRejected(Decisions.START_CALL, Rejection.REQUEST_BUDGET);
    metrics.callRejected(Decisions.START_CALL, Rejection.REQUEST_BUDGET);
    metrics.callRejected(Decisions.START_CALL, Rejection.TOO_MANY_REQUESTS);

    assertSample("temporal_rbac_rejected_calls_total{reason=\"request_budget\"} 2.0");
    assertSample("temporal_rbac_rejected_calls_total{reason=\"too_many_requests\"} 1.0");
    for (String reason : List.of("request_too_large", "missing_request",
        "first_message_timeout", "response_too_large")) {
      assertSample("temporal_rbac_rejected_calls_total{reason=\"" + reason + "\"} 0.0");
    }
    assertEquals(6, count("temporal_rbac_rejected_calls_total{"));
  }

  @Test
  void upstreamReadinessIsReadAtEachScrape() {
    java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
    metrics.upstreamReadiness(ready::get);
    assertSample("temporal_rbac_upstream_ready 0.0");
    ready.set(true);
    assertSample("temporal_rbac_upstream_ready 1.0");
  }

  @Test
  void recordsDurations() {
    metrics.decisionTime(20_000); // 20 µs
    metrics.decisionTime(2_000_000); // 2 ms
    metrics.upstreamClosed(Decisions.START_CALL, Status.Code.OK, 30_000_000);
    metrics.upstreamClosed(Decisions.START_CALL, Status.Code.UNAVAILABLE, 3_000_000);

    assertSample("temporal_rbac_decision_duration_seconds_count 2");
    assertSample("temporal_rbac_decision_duration_seconds_bucket{le=\"2.5E-5\"} 1");
    assertSample("temporal_rbac_decision_duration_seconds_bucket{le=\"0.0025\"} 2");
    assertSample("temporal_rbac_upstream_duration_seconds_count{code=\"OK\","
        + "method=\"StartWorkflowExecution\",service=\"workflow\"} 1");
    assertSample("temporal_rbac_upstream_duration_seconds_count{code=\"UNAVAILABLE\","
        + "method=\"StartWorkflowExecution\",service=\"workflow\"} 1");
    assertSample("temporal_rbac_upstream_duration_seconds_bucket{code=\"OK\","
        + "method=\"StartWorkflowExecution\",service=\"workflow\",le=\"0.05\"} 1");
  }

  @Test
  void defaultRegistryHasJvmAndProcessMetrics() {
    try (ProxyMetrics full = new ProxyMetrics()) {
      String text = full.scrape();
      for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads",
          "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds",
          "temporal_rbac_decision_duration_seconds")) {
        assertTrue(text.contains(name), name);
      }
    }
  }
}
