package dev.temporalrbac.proxy.explain;

import static dev.temporalrbac.proxy.explain.ParsedJson.AWKWARD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code explain} line as the README documents it, read back with Jackson. */
class ExplanationTest {
  /** Every field, in the order written: the proto's, then the three the proto does not carry. */
  private static final List<String> FIELDS = List.of("decision", "status", "reason",
      "principal", "method", "namespaces", "required", "principal_type", "role",
      "policy_version", "reason_code", "identified_by", "credential_id");

  private static Decision decision(Outcome outcome, Reason reason, String text) {
    return new Decision(outcome, reason, "message " + text, "method " + text,
        "principal " + text, "user", "role " + text, "jwt", "subject " + text,
        List.of("ns " + text, ""), "namespace:write", "version " + text, false, null);
  }

  @Test
  void everyFieldIsAStringOrAListOfStringsAndReadsBackUnchanged() {
    Map<String, Object> json = ParsedJson.object(
        Explanation.of(decision(Outcome.DENY, Reason.MISSING_ROLE, AWKWARD)).toJson());
    assertEquals(FIELDS, List.copyOf(json.keySet()));
    assertEquals("DENY", json.get("decision"));
    assertEquals("PERMISSION_DENIED", json.get("status"));
    assertEquals("message " + AWKWARD, json.get("reason"));
    assertEquals("principal " + AWKWARD, json.get("principal"));
    assertEquals("method " + AWKWARD, json.get("method"));
    assertEquals(List.of("ns " + AWKWARD, ""), json.get("namespaces"));
    assertEquals("namespace:write", json.get("required"));
    assertEquals("user", json.get("principal_type"));
    assertEquals("role " + AWKWARD, json.get("role"));
    assertEquals("version " + AWKWARD, json.get("policy_version"));
    assertEquals("missing_role", json.get("reason_code"));
    assertEquals("jwt", json.get("identified_by"));
    assertEquals("subject " + AWKWARD, json.get("credential_id"));
  }

  @Test
  void emptyFieldsArePresent() {
    Decision empty = new Decision(Outcome.ALLOW, Reason.ALLOWED, "", "", "", "", "", "", "",
        List.of(), "", "", false, null);
    Map<String, Object> json = ParsedJson.object(Explanation.of(empty).toJson());
    assertEquals(FIELDS, List.copyOf(json.keySet()));
    assertEquals("ALLOW", json.get("decision"));
    assertEquals("OK", json.get("status"));
    assertEquals(List.of(), json.get("namespaces"));
    assertEquals("", json.get("credential_id"));
  }

  @Test
  void anInvalidRequestHasTheSameShape() {
    Map<String, Object> json = ParsedJson.object(Explanation.invalidRequest(
        decision(Outcome.DENY, Reason.MISSING_ROLE, "x"), "bad \"json\"\n" + AWKWARD).toJson());
    assertEquals(FIELDS, List.copyOf(json.keySet()));
    assertEquals("bad \"json\"\n" + AWKWARD, json.get("reason"));
    assertEquals("malformed_request", json.get("reason_code"));
    assertEquals("INVALID_ARGUMENT", json.get("status"));
  }
}
