package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proxy.explain.ParsedJson;
import dev.temporalrbac.proxy.server.CallInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit.format: cloud}: the record shape of Temporal Cloud's audit log
 * (docs.temporal.io/cloud/audit-logs, cloud-api's auditlog/v1 LogRecord), written down here
 * from those documents rather than from the writer.
 */
class CloudAuditLineWriterTest {
  private static final List<String> FIELDS = List.of("operation", "principal", "raw_details",
      "x_forwarded_for", "emit_time", "log_id", "async_operation_id", "status", "version");
  private static final List<String> PRINCIPAL = List.of("type", "id", "name", "api_key_id");
  private static final List<String> DETAILS = List.of("method", "namespaces", "decision",
      "reason", "message", "required", "role", "identified_by", "peer", "policy_version");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07.890Z"), ZoneOffset.UTC);

  private static List<JsonNode> write(AuditLevel level, Decision... decisions) {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(level, AuditFormat.CLOUD, sink, 64, CLOCK, null)) {
      for (Decision decision : decisions) {
        log.decided(decision, Decisions.START_CALL, true);
      }
    }
    return AuditLines.of(sink).stream().map(AuditLines::object).toList();
  }

  /** Every documented field, in order, with its type; raw_details a string holding an object. */
  private static JsonNode assertShape(JsonNode record) {
    assertEquals(FIELDS, AuditLines.names(record), record.toString());
    for (String field : FIELDS) {
      JsonNode value = record.get(field);
      switch (field) {
        case "principal" -> {
          assertTrue(value.isObject(), field);
          assertEquals(PRINCIPAL, AuditLines.names(value));
          value.forEach(part -> assertTrue(part.isTextual(), record.toString()));
        }
        case "version" -> assertTrue(value.isInt(), "version is a number: " + record);
        default -> assertTrue(value.isTextual(), field + " is a string: " + record);
      }
    }
    OffsetDateTime.parse(record.get("emit_time").asText()); // RFC 3339
    UUID.fromString(record.get("log_id").asText());
    assertEquals(2, record.get("version").asInt());
    JsonNode details = AuditLines.object(record.get("raw_details").asText());
    details.fields().forEachRemaining(field -> assertTrue(field.getKey().equals("namespaces")
        ? field.getValue().isArray() : field.getValue().isTextual(), field.getKey()));
    return details;
  }

  @Test
  void anAllowedDataPlaneCallIsARecordInCloudsShape() {
    JsonNode record = write(AuditLevel.ALL, Decisions.allow()).get(0);
    JsonNode details = assertShape(record);
    assertEquals("StartWorkflowExecution", record.get("operation").asText());
    assertEquals("user", record.at("/principal/type").asText());
    assertEquals("dev@example.com", record.at("/principal/id").asText());
    assertEquals("dev@example.com", record.at("/principal/name").asText());
    assertEquals("k1", record.at("/principal/api_key_id").asText());
    assertEquals("10.0.0.7", record.get("x_forwarded_for").asText());
    assertEquals("2025-03-04T05:06:07.890Z", record.get("emit_time").asText());
    assertEquals("req-1", record.get("async_operation_id").asText());
    assertEquals("OK", record.get("status").asText());
    assertEquals(DETAILS, AuditLines.names(details));
    assertEquals(Decisions.START, details.get("method").asText());
    assertEquals("[\"orders\",\"payments\"]", details.get("namespaces").toString());
    assertEquals("allow", details.get("decision").asText());
    assertEquals("allowed", details.get("reason").asText());
    assertEquals("namespace:write", details.get("required").asText());
    assertEquals("developer", details.get("role").asText());
    assertEquals("api_key", details.get("identified_by").asText());
    assertEquals("/10.0.0.7:51234", details.get("peer").asText());
    assertEquals("v-123", details.get("policy_version").asText());
  }

  /**
   * {@code status} is the proxy's authorization result: a refusal's gRPC code; OK for a call let
   * through, a dry-run denial included (its decision is in raw_details).
   */
  @Test
  void aRefusalCarriesItsGrpcStatusAndADryRunDenialIsOk() {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.DENY, AuditFormat.CLOUD, sink, 16, CLOCK, null)) {
      log.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION, "no"),
          Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, false);
      log.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION, "no"),
          Decisions.START_CALL, false);
      log.decided(Decisions.allow(), Decisions.START_CALL, true); // not at deny
    }
    List<JsonNode> records = AuditLines.of(sink).stream().map(AuditLines::object).toList();
    assertEquals(4, records.size());
    assertEquals("PERMISSION_DENIED", records.get(0).get("status").asText());
    assertEquals("deny", assertShape(records.get(0)).get("decision").asText());
    assertEquals("UNAUTHENTICATED", records.get(1).get("status").asText());
    assertEquals("deny", assertShape(records.get(1)).get("decision").asText());
    for (JsonNode dryRun : records.subList(2, 4)) {
      assertEquals("OK", dryRun.get("status").asText(), "forwarded: " + dryRun);
      JsonNode details = assertShape(dryRun);
      assertEquals("dry_run_deny", details.get("decision").asText());
    }
    assertEquals("unknown_key", assertShape(records.get(2)).get("reason").asText());
    assertEquals("missing_namespace_permission",
        assertShape(records.get(3)).get("reason").asText());
  }

  @Test
  void principalsAreNamedAsCloudNamesThem() {
    Decision serviceAccount = new Decision(Outcome.ALLOW, Reason.ALLOWED, "allowed",
        Decisions.START, "ci-bot", "service_account", "developer", "jwt", "ci@idp.example",
        List.of("orders"), "namespace:write", "v-1", false, null);
    Decision anonymous = new Decision(Outcome.DENY, Reason.CERTIFICATE_UNKNOWN_PRINCIPAL,
        "no principal", Decisions.START, "", "", "", "mtls", "spiffe://example.org/worker",
        List.of(), "", "v-1", false, null);
    List<JsonNode> records = write(AuditLevel.ALL, serviceAccount, anonymous);
    records.forEach(CloudAuditLineWriterTest::assertShape);
    assertEquals("serviceaccount", records.get(0).at("/principal/type").asText());
    assertEquals("ci-bot", records.get(0).at("/principal/id").asText());
    assertEquals("ci@idp.example", records.get(0).at("/principal/name").asText(), "JWT subject");
    assertEquals("", records.get(0).at("/principal/api_key_id").asText(), "not a key");
    assertEquals("", records.get(1).at("/principal/type").asText());
    assertEquals("", records.get(1).at("/principal/id").asText());
    assertEquals("spiffe://example.org/worker", records.get(1).at("/principal/name").asText());
  }

  @Test
  void everyRecordHasItsOwnLogId() {
    Decision[] many = new Decision[20];
    java.util.Arrays.fill(many, Decisions.allow());
    Set<String> ids = new HashSet<>();
    for (JsonNode record : write(AuditLevel.ALL, many)) {
      assertTrue(ids.add(record.get("log_id").asText()), "repeated " + record.get("log_id"));
    }
    assertEquals(20, ids.size());
  }

  @Test
  void awkwardTextStaysInsideItsFields() {
    String odd = ParsedJson.AWKWARD;
    Decision awkward = new Decision(Outcome.DENY, Reason.MISSING_ROLE, "message " + odd, "",
        "principal " + odd, "user", "role " + odd, "api_key", "key " + odd,
        List.of("ns " + odd), "account:admin", "version " + odd, false, null);
    CallInfo call = new CallInfo("other", "other", "svc/Method" + odd, "peer " + odd, "id " + odd);
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.DENY, AuditFormat.CLOUD, sink, 16, CLOCK, null)) {
      log.decided(awkward, call, true);
    }
    List<String> lines = AuditLines.of(sink);
    assertEquals(1, lines.size(), "a newline in a value does not split the line");
    JsonNode record = AuditLines.object(lines.get(0));
    JsonNode details = assertShape(record);
    assertEquals(odd.substring(odd.lastIndexOf('/') + 1), record.get("operation").asText(),
        "the text after the last slash (the awkward text has one)");
    assertEquals("principal " + odd, record.at("/principal/id").asText());
    assertEquals("key " + odd, record.at("/principal/api_key_id").asText());
    assertEquals("peer " + odd, record.get("x_forwarded_for").asText(), "not an IP peer: as is");
    assertEquals("id " + odd, record.get("async_operation_id").asText());
    assertEquals("message " + odd, details.get("message").asText());
    assertEquals("ns " + odd, details.get("namespaces").get(0).asText());
    assertEquals("svc/Method" + odd, details.get("method").asText());
  }

  @Test
  void theCallersAddressIsItsIpWithoutPort() {
    assertEquals("10.0.0.7", CloudAuditLineWriter.address("/10.0.0.7:51234"));
    assertEquals("10.0.0.7", CloudAuditLineWriter.address("worker.local/10.0.0.7:51234"));
    assertEquals("0:0:0:0:0:0:0:1", CloudAuditLineWriter.address("/[0:0:0:0:0:0:0:1]:443"));
    assertEquals("in-process", CloudAuditLineWriter.address("in-process"));
    assertEquals("", CloudAuditLineWriter.address(""));
  }

  @Test
  void recordsLeftInTheQueueAfterDropsAreWhole() throws Exception {
    BlockingSink blocking = new BlockingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditLog log = new AuditLog(AuditLevel.DENY, AuditFormat.CLOUD, blocking, 2, CLOCK, registry);
    log.decided(Decisions.deny(Reason.MISSING_ROLE, "first"), Decisions.START_CALL, true);
    blocking.awaitWriting(); // the writer holds the first record and is stuck in the sink
    for (int i = 0; i < 5; i++) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "more " + i), Decisions.START_CALL, true);
    }
    assertEquals(3.0, registry.get("temporal.rbac.audit.dropped").tag("kind", "decision")
        .counter().count(), "two fit in the queue");
    blocking.release();
    log.close();
    List<String> lines = AuditLines.of(blocking.written());
    assertEquals(3, lines.size());
    lines.forEach(line -> assertShape(AuditLines.object(line)));
  }

  @Test
  void appendsToAFileAndNeverWritesTheCredential(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = AuditLog.toFile(file, AuditLevel.ALL, AuditFormat.CLOUD, null)) {
      log.decided(Decisions.allow(), Decisions.START_CALL, true);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size());
    assertShape(AuditLines.object(lines.get(0)));
    assertFalse(lines.get(0).contains("authorization"), lines.get(0));
  }

  @Test
  void theFormatIsNamedJsonOrCloud() {
    assertEquals(AuditFormat.CLOUD, AuditFormat.parse(" Cloud "));
    assertEquals(AuditFormat.JSON, AuditFormat.parse("json"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> AuditFormat.parse("otel"));
    assertEquals("audit.format must be json or cloud, not 'otel'", e.getMessage());
  }
}
