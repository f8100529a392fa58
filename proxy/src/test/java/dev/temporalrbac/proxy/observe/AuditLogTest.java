package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proxy.explain.ParsedJson;
import dev.temporalrbac.proxy.server.CallInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  /** The fields the README and {@link AuditLog} document, in the order written. */
  private static final List<String> FIELDS = List.of("time", "decision", "reason", "message",
      "principal", "principal_type", "role", "identified_by", "credential_id", "key_id", "method",
      "namespaces", "required", "peer", "request_id", "policy_version");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07.890Z"), ZoneOffset.UTC);

  private static List<String> lines(StringWriter sink) {
    return AuditLines.of(sink);
  }

  private static double dropped(SimpleMeterRegistry registry, String kind) {
    return registry.get("temporal.rbac.audit.dropped").tag("kind", kind).counter().count();
  }

  @Test
  void writesDenialsOnlyByDefault() {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.DENY, sink, 16, CLOCK, null)) {
      log.decided(Decisions.allow(), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.MISSING_NAMESPACE_PERMISSION,
          "dev@example.com may not write payments"), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "needs admin"), Decisions.START_CALL, false);
    }
    List<String> lines = lines(sink);
    assertEquals(2, lines.size(), sink.toString());
    assertEquals("{\"time\":\"2025-03-04T05:06:07.890Z\",\"decision\":\"deny\","
        + "\"reason\":\"missing_namespace_permission\","
        + "\"message\":\"dev@example.com may not write payments\","
        + "\"principal\":\"dev@example.com\",\"principal_type\":\"user\",\"role\":\"developer\","
        + "\"identified_by\":\"api_key\",\"credential_id\":\"k1\",\"key_id\":\"k1\",\"method\":\"" + Decisions.START + "\","
        + "\"namespaces\":[\"orders\",\"payments\"],\"required\":\"namespace:write\","
        + "\"peer\":\"/10.0.0.7:51234\",\"request_id\":\"req-1\",\"policy_version\":\"v-123\"}",
        lines.get(0));
    assertTrue(lines.get(1).contains("\"decision\":\"dry_run_deny\",\"reason\":\"missing_role\""),
        lines.get(1));
  }

  @Test
  void namesHowJwtAndCertificateCallersWereIdentified() {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.ALL, sink, 16, CLOCK, null)) {
      log.decided(Decisions.identified(Reason.ALLOWED, "allowed", "jwt", "ci-bot"),
          Decisions.START_CALL, true);
      log.decided(Decisions.identified(Reason.CERTIFICATE_UNKNOWN_PRINCIPAL,
          "the client certificate names spiffe://example.org/ns/prod/sa/worker, no principal",
          "mtls", "spiffe://example.org/ns/prod/sa/worker"), Decisions.START_CALL, true);
      log.decided(Decisions.identified(Reason.TOKEN_EXPIRED, "the JWT expired", "jwt", ""),
          Decisions.START_CALL, true);
    }
    List<String> lines = lines(sink);
    assertEquals(3, lines.size(), sink.toString());
    assertTrue(lines.get(0).contains("\"decision\":\"allow\",\"reason\":\"allowed\","), lines.get(0));
    assertTrue(lines.get(0).contains(
        "\"identified_by\":\"jwt\",\"credential_id\":\"ci-bot\",\"key_id\":\"\","), lines.get(0));
    assertTrue(lines.get(1).contains("\"reason\":\"certificate_unknown_principal\","), lines.get(1));
    assertTrue(lines.get(1).contains("\"identified_by\":\"mtls\","
        + "\"credential_id\":\"spiffe://example.org/ns/prod/sa/worker\",\"key_id\":\"\","),
        lines.get(1));
    assertTrue(lines.get(2).contains("\"reason\":\"token_expired\","), lines.get(2));
    assertTrue(lines.get(2).contains("\"identified_by\":\"jwt\",\"credential_id\":\"\","),
        lines.get(2));
  }

  @Test
  void writesEveryDecisionWithAll() {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.ALL, sink, 16, CLOCK, null)) {
      log.decided(Decisions.allow(), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, true);
    }
    List<String> lines = lines(sink);
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).contains("\"decision\":\"allow\",\"reason\":\"allowed\""));
    assertTrue(lines.get(1).contains("\"decision\":\"deny\",\"reason\":\"unknown_key\""));
  }

  @Test
  void escapesQuotesNewlinesAndControlCharacters() {
    StringWriter sink = new StringWriter();
    CallInfo call = new CallInfo("workflow", "StartWorkflowExecution", Decisions.START,
        "peer", "id \"1\"\r\n\\2");
    try (AuditLog log = new AuditLog(AuditLevel.DENY, sink, 16, CLOCK, null)) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "say \"no\"\nnext\tline\u0001"), call, true);
    }
    List<String> lines = lines(sink);
    assertEquals(1, lines.size(), "a newline in a value does not split the line");
    assertTrue(lines.get(0).contains("\"message\":\"say \\\"no\\\"\\nnext\\tline\\u0001\""),
        lines.get(0));
    assertTrue(lines.get(0).contains("\"request_id\":\"id \\\"1\\\"\\r\\n\\\\2\""), lines.get(0));
  }

  @Test
  void everyLineIsAJsonObjectWithTheDocumentedFieldsAndTypes() {
    String odd = ParsedJson.AWKWARD;
    Decision awkward = new Decision(Outcome.DENY, Reason.MISSING_NAMESPACE_PERMISSION,
        "message " + odd, "", "principal " + odd, "user", "role " + odd, "jwt", "subject " + odd,
        List.of("ns " + odd, ""), "namespace:write", "version " + odd, false, null);
    CallInfo call = new CallInfo("other", "other", "method " + odd, "peer " + odd, "id " + odd);
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.ALL, sink, 16, CLOCK, null)) {
      log.decided(awkward, call, true);
      log.decided(Decisions.allow(), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL, false);
    }
    List<String> lines = lines(sink);
    assertEquals(3, lines.size(), sink.toString());
    for (String line : lines) {
      Map<String, Object> json = ParsedJson.object(line);
      assertEquals(FIELDS, List.copyOf(json.keySet()), line);
      json.forEach((name, value) -> assertEquals(
          name.equals("namespaces") ? List.class : String.class,
          value instanceof List ? List.class : value.getClass(), name));
    }
    Map<String, Object> first = ParsedJson.object(lines.get(0));
    assertEquals("2025-03-04T05:06:07.890Z", first.get("time"));
    assertEquals("deny", first.get("decision"));
    assertEquals("missing_namespace_permission", first.get("reason"));
    assertEquals("message " + odd, first.get("message"));
    assertEquals("principal " + odd, first.get("principal"));
    assertEquals("role " + odd, first.get("role"));
    assertEquals("subject " + odd, first.get("credential_id"));
    assertEquals("", first.get("key_id"), "not an API key");
    assertEquals("method " + odd, first.get("method"), "the call's name, the decision has none");
    assertEquals(List.of("ns " + odd, ""), first.get("namespaces"));
    assertEquals("peer " + odd, first.get("peer"));
    assertEquals("id " + odd, first.get("request_id"));
    assertEquals("version " + odd, first.get("policy_version"));
    assertEquals("dry_run_deny", ParsedJson.object(lines.get(2)).get("decision"));
  }

  @Test
  void aSinkThatFailsLosesThatLineOnlyAndTheNextIsWhole() throws Exception {
    StringWriter written = new StringWriter();
    CountDownLatch secondWritten = new CountDownLatch(1);
    Writer failingOnce = new Writer() {
      private boolean failed;

      @Override
      public void write(char[] chars, int off, int len) throws IOException {
        if (!failed) {
          failed = true;
          throw new IOException("disk full");
        }
        written.write(chars, off, len);
        secondWritten.countDown();
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    try (AuditLog log = new AuditLog(AuditLevel.DENY, failingOnce, 16, CLOCK, null)) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "lost"), Decisions.START_CALL, true);
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "kept"), Decisions.START_CALL, true);
      secondWritten.await();
      assertEquals(1, log.dropped());
    }
    List<String> lines = lines(written);
    assertEquals(1, lines.size(), written.toString());
    assertEquals("kept", ParsedJson.object(lines.get(0)).get("message"));
  }

  @Test
  void writesNothingWhenOff() {
    StringWriter sink = new StringWriter();
    try (AuditLog log = new AuditLog(AuditLevel.OFF, sink, 16, CLOCK, null)) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "no"), Decisions.START_CALL, true);
      log.decided(Decisions.allow(), Decisions.START_CALL, true);
      assertEquals(0, log.dropped());
    }
    assertEquals("", sink.toString());
  }

  @Test
  void dropsAndCountsWhenTheQueueIsFull() throws Exception {
    BlockingSink blocking = new BlockingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditLog log = new AuditLog(AuditLevel.DENY, blocking, 2, CLOCK, registry);
    assertEquals(0.0, dropped(registry, "decision"), "both kinds registered at start");
    assertEquals(0.0, dropped(registry, "shadow"));
    log.decided(Decisions.deny(Reason.MISSING_ROLE, "first"), Decisions.START_CALL, true);
    blocking.awaitWriting(); // the writer holds the first record and is stuck in the sink
    for (int i = 0; i < 5; i++) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "more " + i), Decisions.START_CALL, true);
    }
    assertEquals(3, log.dropped()); // two fit in the queue
    assertEquals(3.0, dropped(registry, "decision"));
    assertEquals(0.0, dropped(registry, "shadow"));
    blocking.release();
    log.close();
    List<String> lines = lines(blocking.written());
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).contains("\"message\":\"first\""));
    assertTrue(lines.get(1).contains("\"message\":\"more 0\""));
    assertTrue(lines.get(2).contains("\"message\":\"more 1\""));
    log.decided(Decisions.deny(Reason.MISSING_ROLE, "late"), Decisions.START_CALL, true);
    assertEquals(4, log.dropped(), "a record after close is dropped, not written");
  }

  @Test
  void shadowDifferenceLinesNeverCrowdOutEnforcedRecords() throws Exception {
    BlockingSink blocking = new BlockingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditLog log = new AuditLog(AuditLevel.DENY, blocking, 4, CLOCK, registry);
    log.decided(Decisions.deny(Reason.MISSING_ROLE, "first"), Decisions.START_CALL, true);
    blocking.awaitWriting();
    Decision shadowDeny = Decisions.deny(Reason.MISSING_ROLE, "shadow says no");
    for (int i = 0; i < 5; i++) { // allowed calls written only for the difference
      log.decidedWithShadow(Decisions.allow(), shadowDeny, Decisions.START_CALL, true);
    }
    assertEquals(3.0, dropped(registry, "shadow"), "half the queue of 4 took two");
    for (int i = 0; i < 3; i++) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "enforced " + i), Decisions.START_CALL,
          true);
    }
    // a denied call the shadow would allow is the enforced record itself, not a shadow line
    log.decidedWithShadow(Decisions.deny(Reason.MISSING_ROLE, "enforced 3"), Decisions.allow(),
        Decisions.START_CALL, true);
    assertEquals(3.0, dropped(registry, "shadow"), "the last was counted as a decision record");
    assertEquals(2.0, dropped(registry, "decision"), "enforced 2 and 3: the queue was full");
    blocking.release();
    log.close();
    List<String> lines = lines(blocking.written());
    assertEquals(5, lines.size(), blocking.written().toString());
    assertEquals(2, lines.stream().filter(line -> line.contains("\"would_deny\"")).count());
    assertTrue(lines.get(4).contains("\"message\":\"enforced 1\""), lines.get(4));
    assertEquals(5, log.dropped());
  }

  @Test
  void appendsToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    Files.writeString(file, "earlier\n");
    try (AuditLog log = AuditLog.toFile(file, AuditLevel.DENY, AuditFormat.JSON, null)) {
      log.decided(Decisions.deny(Reason.MISSING_ROLE, "no"), Decisions.START_CALL, true);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    assertEquals("earlier", lines.get(0));
    assertTrue(lines.get(1).startsWith("{\"time\":"));
    assertFalse(lines.get(1).contains("authorization"));
  }
}
