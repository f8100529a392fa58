package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CheckDiffTest.KEY_SHA;
import static dev.temporalrbac.proxy.cli.CheckDiffTest.OLD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --against --format json}: its schema, and that it says what the text says. */
class CheckDiffJsonTest {
  private static final String NEW_SHA = "cd".repeat(32);
  private static final Pattern SUMMARY = Pattern.compile("summary: (\\d+) principals? differs?,"
      + " (\\d+) groups? differs?: (\\d+) gains?, (\\d+) loss(?:es)?, (\\d+) other changes?;.*");

  @TempDir Path dir;

  private String file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
  }

  /** Alice's write lowered and her key re-keyed, the auditors group's grant removed. */
  private String changed() throws Exception {
    return file("new.yaml", OLD
        .replace("namespaces: {payments: write}", "namespaces: {payments: read}")
        .replace(KEY_SHA, NEW_SHA)
        .replace("role: read_only\n    namespaces: {billing: read}\nusers",
            "role: read_only\nusers"));
  }

  private static Map<String, Object> json(CliRun run) {
    assertEquals(1, run.lines().size(), "one JSON object, nothing else: " + run.out());
    return JsonTree.object(JsonTree.parse(run.out()));
  }

  @Test
  void jsonAndTextNameTheSamePrincipalsGroupsAndCounts() throws Exception {
    String old = file("old.yaml", OLD);
    String changed = changed();
    CliRun text = CliRun.of("check", "--policy", changed, "--against", old);
    CliRun jsonRun = CliRun.of("check", "--policy", changed, "--against", old, "--format",
        "json");

    assertEquals(ExitCode.LOSS, text.code(), text.err());
    assertEquals(text.code(), jsonRun.code(), jsonRun.err());
    Map<String, Object> json = json(jsonRun);
    Matcher summary = SUMMARY.matcher(text.lines().get(text.lines().size() - 1));
    assertTrue(summary.matches(), text.out());
    assertEquals(List.of((long) ids(json, "principals").size(), (long) ids(json, "groups")
            .size(), json.get("gains"), json.get("losses"), json.get("changes")),
        List.of(Long.parseLong(summary.group(1)), Long.parseLong(summary.group(2)),
            Long.parseLong(summary.group(3)), Long.parseLong(summary.group(4)),
            Long.parseLong(summary.group(5))));
    assertEquals(List.of("alice@example.com"), ids(json, "principals"));
    assertEquals(List.of("auditors"), ids(json, "groups"));
    assertTrue(text.out().contains("\nalice@example.com (user)\n"), text.out());
    assertTrue(text.out().contains("\n  auditors\n"), text.out());
    // every change's text is a line of the text output, under the same sign
    for (String line : changeLines(json)) {
      assertTrue(text.out().contains(line + "\n"), line + " in\n" + text.out());
    }
  }

  private static List<Object> ids(Map<String, Object> json, String field) {
    List<Object> ids = new ArrayList<>();
    JsonTree.array(json.get(field)).forEach(entry -> ids.add(JsonTree.object(entry).get("id")));
    return ids;
  }

  private static List<String> changeLines(Map<String, Object> json) {
    List<String> lines = new ArrayList<>();
    Map<String, String> signs = Map.of("gains", "+ ", "losses", "- ", "changes", "~ ");
    for (String block : List.of("principals", "groups")) {
      for (Object entry : JsonTree.array(json.get(block))) {
        for (var sign : signs.entrySet()) {
          for (Object change : JsonTree.array(JsonTree.object(entry).get(sign.getKey()))) {
            lines.add(sign.getValue() + JsonTree.object(change).get("text"));
          }
        }
      }
    }
    return lines;
  }

  @Test
  void jsonGivesEachChangesFields() throws Exception {
    String old = file("old.yaml", OLD);
    String changed = changed();
    CliRun run = CliRun.of("check", "--policy", changed, "--against", old, "--format", "json",
        "--at", "2026-06-01T12:00:00+02:00");

    assertEquals(ExitCode.LOSS, run.code(), run.err());
    assertEquals("", run.err());
    Map<String, Object> json = json(run);
    assertEquals(changed, json.get("policy"));
    assertEquals(old, json.get("against"));
    assertFalse(((String) json.get("policy_version")).isBlank(), json.toString());
    assertFalse(json.get("policy_version").equals(json.get("against_version")), json.toString());
    assertEquals("2026-06-01T10:00:00Z", json.get("at"));
    assertEquals(Map.of("ok", true, "message", JsonTree.object(json.get("removal_check"))
            .get("message"), "principals_removed", List.of(), "api_keys_removed", List.of()),
        json.get("removal_check"));
    assertEquals(0L, json.get("gains"));
    assertEquals(3L, json.get("losses"));
    assertEquals(true, json.get("loses_something"));
    Map<String, Object> alice = JsonTree.object(JsonTree.array(json.get("principals")).get(0));
    assertEquals("user", alice.get("type"));
    assertEquals("changed", alice.get("status"));
    List<Object> losses = JsonTree.array(alice.get("losses"));
    assertEquals(Map.of("kind", "namespace", "subject", "payments", "from", "write", "to", "read",
        "text", "namespace payments: write -> read"), losses.get(0));
    Map<String, Object> rekeyed = new HashMap<>(JsonTree.object(losses.get(1)));
    assertEquals("API key key-alice: secret replaced (callers with the old secret are refused)",
        rekeyed.remove("text"));
    Map<String, Object> expected = new HashMap<>();
    expected.putAll(Map.of("kind", "api_key", "subject", "key-alice", "attribute", "secret",
        "to", "replaced"));
    expected.put("from", null);
    assertEquals(expected, rekeyed);
    assertFalse(run.out().contains(KEY_SHA), "no digest: " + run.out());
    assertFalse(run.out().contains(NEW_SHA), "no digest: " + run.out());
    Map<String, Object> auditors = JsonTree.object(JsonTree.array(json.get("groups")).get(0));
    assertEquals(Map.of("id", "auditors", "status", "changed", "gains", List.of()),
        Map.of("id", auditors.get("id"), "status", auditors.get("status"), "gains",
            auditors.get("gains")));
    Map<String, Object> lost = JsonTree.object(JsonTree.array(auditors.get("losses")).get(0));
    assertEquals("namespace", lost.get("kind"));
    assertEquals("billing", lost.get("subject"));
    assertFalse(lost.containsKey("attribute"), "only api_key changes carry one: " + lost);
  }

  @Test
  void aRefusedRemovalIsAPolicyErrorNamingWhatGoes() throws Exception {
    String empty = file("new.yaml", "users: []\n");
    CliRun run = CliRun.of("check", "--policy", empty, "--against", file("old.yaml", OLD),
        "--format", "json");

    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().startsWith("removal check FAILED against "), run.err());
    assertTrue(run.err().contains("  principals removed: alice@example.com, bob@example.com\n"),
        run.err());
    Map<String, Object> check = JsonTree.object(json(run).get("removal_check"));
    assertEquals(false, check.get("ok"));
    assertEquals(List.of("alice@example.com", "bob@example.com"),
        check.get("principals_removed"));
    assertEquals(List.of("key-alice"), check.get("api_keys_removed"));
    List<Object> principals = JsonTree.array(json(run).get("principals"));
    assertEquals("removed", JsonTree.object(principals.get(0)).get("status"));
    assertEquals("removed", JsonTree.object(JsonTree.array(json(run).get("groups")).get(0))
        .get("status"));
  }
}
