package dev.temporalrbac.proxy.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.temporalrbac.policy.diff.Change;
import dev.temporalrbac.policy.diff.ChangeKind;
import dev.temporalrbac.policy.diff.PolicyDiff;
import dev.temporalrbac.policy.diff.PrincipalDiff;
import dev.temporalrbac.policy.load.RemovalGuard;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.explain.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code check --against --format json}: the diff as one JSON object on one line, written with
 * Jackson's streaming generator. The schema (also in {@code check --help}):
 *
 * <pre>
 * {"policy": FILE, "policy_version": HASH, "against": OLD, "against_version": HASH,
 *  "at": RFC 3339 time API keys' expiry was judged at,
 *  "removal_check": {"ok": BOOL, "message": TEXT},
 *  "gains": N, "losses": N, "changes": N, "loses_something": BOOL,
 *  "principals": [{"id": ID, "type": "user"|"service_account",
 *                  "status": "added"|"removed"|"changed",
 *                  "gains": [CHANGE...], "losses": [CHANGE...], "changes": [CHANGE...]}]}
 * CHANGE: {"kind": principal|account|namespace|certificate_filter|api_key|role|grant|group|
 *          namespace_fact, "subject": TEXT|null, "from": TEXT|null, "to": TEXT|null,
 *          "text": TEXT, "methods": [Service/Method...] (kind account only)}
 * </pre>
 *
 * Principals are ordered by id, and only those that differ are listed.
 */
final class DiffJson {
  private DiffJson() {}

  static String of(PolicySnapshot policy, PolicySnapshot against, RemovalGuard.Verdict verdict,
      PolicyDiff diff) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = Json.factory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("policy", policy.source());
      json.writeStringField("policy_version", policy.version());
      json.writeStringField("against", against.source());
      json.writeStringField("against_version", against.version());
      json.writeStringField("at", diff.at().toString());
      json.writeObjectFieldStart("removal_check");
      json.writeBooleanField("ok", !verdict.rejected());
      json.writeStringField("message", verdict.message());
      json.writeEndObject();
      json.writeNumberField("gains", diff.gainCount());
      json.writeNumberField("losses", diff.lossCount());
      json.writeNumberField("changes", diff.changeCount());
      json.writeBooleanField("loses_something", diff.losesSomething());
      json.writeArrayFieldStart("principals");
      for (PrincipalDiff principal : diff.principals()) {
        json.writeStartObject();
        json.writeStringField("id", principal.id());
        json.writeStringField("type", principal.type());
        json.writeStringField("status", principal.status().label());
        changes(json, "gains", principal.gains());
        changes(json, "losses", principal.losses());
        changes(json, "changes", principal.changes());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string does not fail", e);
    }
    return out.toString();
  }

  private static void changes(JsonGenerator json, String field, List<Change> changes)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (Change change : changes) {
      json.writeStartObject();
      json.writeStringField("kind", change.kind().label());
      json.writeStringField("subject", change.subject());
      json.writeStringField("from", change.from());
      json.writeStringField("to", change.to());
      json.writeStringField("text", change.text());
      if (change.kind() == ChangeKind.ACCOUNT) {
        json.writeArrayFieldStart("methods");
        for (String method : change.methods()) {
          json.writeString(method);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
