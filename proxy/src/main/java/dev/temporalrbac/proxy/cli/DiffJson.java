package dev.temporalrbac.proxy.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.temporalrbac.policy.diff.Change;
import dev.temporalrbac.policy.diff.ChangeKind;
import dev.temporalrbac.policy.diff.GroupDiff;
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
 *  "removal_check": {"ok": BOOL, "message": TEXT, "principals_removed": [ID...],
 *                    "api_keys_removed": [ID...]},
 *  "gains": N, "losses": N, "changes": N, "loses_something": BOOL,
 *  "principals": [{"id": ID, "type": "user"|"service_account",
 *                  "status": "added"|"removed"|"changed",
 *                  "gains": [CHANGE...], "losses": [CHANGE...], "changes": [CHANGE...]}],
 *  "groups": [{"id": ID, "status": "added"|"removed"|"changed",
 *              "gains": [CHANGE...], "losses": [CHANGE...], "changes": [CHANGE...]}]}
 * CHANGE: {"kind": KIND, "subject": TEXT|null, "from": TEXT|null, "to": TEXT|null,
 *          "text": TEXT,
 *          "attribute": "state"|"secret"|"expiry"|"owner" (kind api_key only),
 *          "methods": [Service/Method...] (kind account only)}
 * KIND in gains and losses: principal, account, namespace, namespace_id, certificate_filter,
 *   api_key; in changes: those (principal, namespace_id and api_key in practice) and role,
 *   grant, group, namespace_fact.
 * </pre>
 *
 * Principals and groups are ordered by id, and only those that differ are listed; the counts
 * cover both. A group's entry is what a member holding only that group gains and loses. A
 * replaced secret is {"attribute": "secret", "from": null, "to": "replaced"}: no secret nor
 * digest is ever written.
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
      strings(json, "principals_removed", verdict.principalsRemoved());
      strings(json, "api_keys_removed", verdict.keysRemoved());
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
      json.writeArrayFieldStart("groups");
      for (GroupDiff group : diff.groups()) {
        json.writeStartObject();
        json.writeStringField("id", group.id());
        json.writeStringField("status", group.status().label());
        changes(json, "gains", group.gains());
        changes(json, "losses", group.losses());
        changes(json, "changes", group.changes());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string does not fail", e);
    }
    return out.toString();
  }

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
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
      if (change.kind() == ChangeKind.API_KEY) {
        json.writeStringField("attribute", change.attribute());
      }
      if (change.kind() == ChangeKind.ACCOUNT) {
        strings(json, "methods", change.methods());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
