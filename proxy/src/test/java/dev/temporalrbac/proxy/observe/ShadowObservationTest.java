package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the metrics and the audit log make of a call decided under a shadow policy too. */
class ShadowObservationTest {
  private static final List<String> JSON_FIELDS = List.of("time", "decision", "reason",
      "message", "principal", "principal_type", "role", "identified_by", "credential_id",
      "key_id", "method", "namespaces", "required", "peer", "request_id", "policy_version");
  private static final List<String> SHADOW_FIELDS =
      List.of("shadow_decision", "shadow_reason", "shadow_policy_version");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07.890Z"), ZoneOffset.UTC);

  private static Decision shadowAllow() {
    return new Decision(Outcome.ALLOW, Reason.ALLOWED, "allowed", Decisions.START,
        "dev@example.com", "user", "developer", "api_key", "k1", List.of("orders"),
        "namespace:write", "shadow-v2", false, null);
  }

  private static Decision shadowDeny() {
    return new Decision(Outcome.DENY, Reason.MISSING_NAMESPACE_PERMISSION, "may not write",
        Decisions.START, "dev@example.com", "user", "developer", "api_key", "k1",
        List.of("orders"), "namespace:write", "shadow-v2", false, null);
  }

  private static List<String> audit(AuditLevel level, AuditFormat format,
      Decision enforced, Decision shadow, boolean enforcing) {
    return audit(level, format,
        log -> log.decidedWithShadow(enforced, shadow, Decisions.START_CALL, enforcing));
  }

  private static List<String> audit(AuditLevel level, AuditFormat format,
      Consumer<AuditLog> calls) {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(level, format, sink, 16, CLOCK, null)) {
      calls.accept(log);
    }
    return AuditLines.of(sink);
  }

  private static List<String> undecided(AuditLevel level, AuditFormat format) {
    return audit(level, format, log -> log.shadowUndecided(
        Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL));
  }

  /** The one cloud record's raw_details, which end with the shadow fields. */
  private static JsonNode cloudDetails(List<String> lines, String status) {
    assertEquals(1, lines.size(), lines.toString());
    JsonNode record = AuditLines.object(lines.get(0));
    assertEquals(status, record.get("status").asText(), record.toString());
    JsonNode details = AuditLines.object(record.get("raw_details").asText());
    List<String> names = AuditLines.names(details);
    assertEquals(SHADOW_FIELDS, names.subList(names.size() - 3, names.size()));
    return details;
  }

  private static void assertShadow(JsonNode line, String decision, String reason,
      String version) {
    assertEquals(decision, line.get("shadow_decision").asText(), line.toString());
    assertEquals(reason, line.get("shadow_reason").asText(), line.toString());
    assertEquals(version, line.get("shadow_policy_version").asText(), line.toString());
  }

  @Test
  void comparesOutcomesOnly() {
    Decision otherDenial = Decisions.deny(Reason.MISSING_ROLE, "needs admin");
    assertEquals(ShadowResult.SAME, ShadowResult.of(Decisions.allow(), shadowAllow()));
    assertEquals(ShadowResult.SAME, ShadowResult.of(otherDenial, shadowDeny()));
    assertEquals(ShadowResult.WOULD_DENY, ShadowResult.of(Decisions.allow(), shadowDeny()));
    assertEquals(ShadowResult.WOULD_ALLOW, ShadowResult.of(otherDenial, shadowAllow()));
  }

  @Test
  void anAllowedCallTheShadowWouldDenyIsWrittenEvenAtLevelDeny() {
    List<String> lines = audit(AuditLevel.DENY, AuditFormat.JSON, Decisions.allow(),
        shadowDeny(), true);
    assertEquals(1, lines.size());
    JsonNode line = AuditLines.object(lines.get(0));
    List<String> fields = new ArrayList<>(JSON_FIELDS);
    fields.addAll(SHADOW_FIELDS);
    assertEquals(fields, AuditLines.names(line));
    line.fields().forEachRemaining(field -> assertTrue(field.getKey().equals("namespaces")
        ? field.getValue().isArray() : field.getValue().isTextual(), field.getKey()));
    assertEquals("allow", line.get("decision").asText());
    assertEquals("v-123", line.get("policy_version").asText(), "the enforced version");
    assertShadow(line, "would_deny", "missing_namespace_permission", "shadow-v2");
  }

  @Test
  void aDeniedCallTheShadowWouldAllowIsOneLineAtEveryLevel() {
    for (AuditLevel level : List.of(AuditLevel.DENY, AuditLevel.ALL)) {
      List<String> lines = audit(level, AuditFormat.JSON,
          Decisions.deny(Reason.MISSING_ROLE, "needs admin"), shadowAllow(), true);
      assertEquals(1, lines.size(), level + ": " + lines);
      JsonNode line = AuditLines.object(lines.get(0));
      assertEquals("deny", line.get("decision").asText());
      assertEquals("missing_role", line.get("reason").asText());
      assertEquals("would_allow", line.get("shadow_decision").asText());
      assertEquals("allowed", line.get("shadow_reason").asText());
    }
    List<String> dryRun = audit(AuditLevel.DENY, AuditFormat.JSON,
        Decisions.deny(Reason.MISSING_ROLE, "needs admin"), shadowAllow(), false);
    assertEquals("dry_run_deny", AuditLines.object(dryRun.get(0)).get("decision").asText());
  }

  @Test
  void callsDecidedAlikeAreWrittenAsWithoutAShadowPolicy() {
    assertEquals(List.of(), audit(AuditLevel.DENY, AuditFormat.JSON, Decisions.allow(),
        shadowAllow(), true), "an allowed call at level deny");
    List<String> all = audit(AuditLevel.ALL, AuditFormat.JSON, Decisions.allow(), shadowAllow(),
        true);
    assertEquals(JSON_FIELDS, AuditLines.names(AuditLines.object(all.get(0))));
    List<String> denied = audit(AuditLevel.DENY, AuditFormat.JSON,
        Decisions.deny(Reason.MISSING_ROLE, "needs admin"), shadowDeny(), true);
    assertEquals(JSON_FIELDS, AuditLines.names(AuditLines.object(denied.get(0))));
  }

  @Test
  void aRefusalTheShadowCouldNotDecideIsTheRefusalsLineMarkedUndecided() {
    for (AuditLevel level : List.of(AuditLevel.DENY, AuditLevel.ALL)) {
      List<String> lines = undecided(level, AuditFormat.JSON);
      assertEquals(1, lines.size(), level + ": " + lines);
      JsonNode line = AuditLines.object(lines.get(0));
      List<String> fields = new ArrayList<>(JSON_FIELDS);
      fields.addAll(SHADOW_FIELDS);
      assertEquals(fields, AuditLines.names(line));
      assertEquals("deny", line.get("decision").asText(), "the enforced refusal");
      assertEquals("unknown_key", line.get("reason").asText());
      assertEquals("v-123", line.get("policy_version").asText());
      assertShadow(line, "undecided", "", ""); // the shadow policy never decided
    }
    assertEquals(List.of(), undecided(AuditLevel.OFF, AuditFormat.JSON));
  }

  @Test
  void theCloudFormatCarriesUndecidedInItsDetails() {
    JsonNode details = cloudDetails(undecided(AuditLevel.DENY, AuditFormat.CLOUD),
        "UNAUTHENTICATED");
    assertEquals("deny", details.get("decision").asText());
    assertShadow(details, "undecided", "", "");
  }

  @Test
  void nothingIsWrittenWhenOff() {
    assertEquals(List.of(), audit(AuditLevel.OFF, AuditFormat.JSON, Decisions.allow(),
        shadowDeny(), true));
    assertEquals(List.of(), audit(AuditLevel.OFF, AuditFormat.CLOUD, Decisions.allow(),
        shadowDeny(), true));
  }

  @Test
  void theCloudFormatCarriesTheDifferenceInItsDetails() {
    JsonNode details = cloudDetails(audit(AuditLevel.DENY, AuditFormat.CLOUD, Decisions.allow(),
        shadowDeny(), true), "OK"); // the enforced decision acted
    assertShadow(details, "would_deny", "missing_namespace_permission", "shadow-v2");
    assertEquals("v-123", details.get("policy_version").asText());
    assertFalse(AuditLines.names(AuditLines.object(AuditLines.object(audit(AuditLevel.ALL,
        AuditFormat.CLOUD, Decisions.allow(), shadowAllow(), true).get(0))
        .get("raw_details").asText())).contains("shadow_decision"));
  }

  @Test
  void shadowDecisionsAreCountedOnlyOnceEnabled() {
    ProxyMetrics metrics =
        new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
    metrics.decidedWithShadow(Decisions.allow(), shadowDeny(), Decisions.START_CALL, true);
    metrics.shadowFailed(Decisions.START_CALL);
    assertFalse(metrics.scrape().contains("temporal_rbac_shadow_decisions"),
        "not registered without a shadow policy");
    assertTrue(metrics.scrape().contains("temporal_rbac_decisions_total{decision=\"allow\""),
        "the enforced decision is counted as ever");

    metrics.countShadowDecisions();
    metrics.countShadowDecisions(); // idempotent
    List<String> samples = List.of(metrics.scrape().split("\n"));
    for (String result : List.of("same", "would_allow", "would_deny", "undecided", "error")) {
      assertTrue(samples.contains("temporal_rbac_shadow_decisions_total{result=\"" + result
          + "\"} 0.0"), result + " registered at zero:\n" + metrics.scrape());
    }
    metrics.decidedWithShadow(Decisions.allow(), shadowDeny(), Decisions.START_CALL, true);
    metrics.decidedWithShadow(Decisions.allow(), shadowAllow(), Decisions.START_CALL, true);
    metrics.decidedWithShadow(Decisions.allow(), shadowAllow(), Decisions.START_CALL, true);
    metrics.decidedWithShadow(Decisions.deny(Reason.MISSING_ROLE, "no"), shadowAllow(),
        Decisions.START_CALL, false);
    metrics.shadowFailed(Decisions.START_CALL);
    metrics.shadowUndecided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"),
        Decisions.START_CALL);
    samples = List.of(metrics.scrape().split("\n"));
    assertTrue(samples.contains("temporal_rbac_shadow_decisions_total{result=\"same\"} 2.0"),
        metrics.scrape());
    assertTrue(samples.contains(
        "temporal_rbac_shadow_decisions_total{result=\"would_deny\"} 1.0"));
    assertTrue(samples.contains(
        "temporal_rbac_shadow_decisions_total{result=\"would_allow\"} 1.0"));
    assertTrue(samples.contains("temporal_rbac_shadow_decisions_total{result=\"error\"} 1.0"));
    assertTrue(samples.contains(
        "temporal_rbac_shadow_decisions_total{result=\"undecided\"} 1.0"));
    assertTrue(samples.contains("temporal_rbac_decisions_total{decision=\"deny\","
        + "method=\"StartWorkflowExecution\",reason=\"unknown_key\",service=\"workflow\"} 1.0"),
        "the enforced refusal is counted as decided() counts it");
    assertTrue(samples.contains(
        "temporal_rbac_authentication_failures_total{reason=\"unknown_key\"} 1.0"));
    assertTrue(samples.stream().anyMatch(line -> line.startsWith(
        "temporal_rbac_decisions_total{decision=\"dry_run_deny\"")), metrics.scrape());
  }
}
