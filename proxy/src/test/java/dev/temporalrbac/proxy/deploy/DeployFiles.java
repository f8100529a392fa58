package dev.temporalrbac.proxy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The dashboard and the alert rules under {@code deploy/}, and every PromQL query they hold. */
final class DeployFiles {
  static final String DASHBOARD = "deploy/grafana/temporal-rbac-proxy.json";
  static final String RULES = "deploy/prometheus/temporal-rbac-proxy-rules.yaml";
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)", Pattern.DOTALL);

  private DeployFiles() {}

  /** The repository's root: the first folder up from the working directory holding deploy/. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path at = dir; at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve(DASHBOARD))) {
        return at;
      }
    }
    throw new AssertionError("no " + DASHBOARD + " in " + dir + " or a folder above it");
  }

  static JsonNode dashboard() {
    try {
      return new ObjectMapper().readTree(root().resolve(DASHBOARD).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(DASHBOARD + " is not JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> rules() {
    try {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
          .load(Files.readString(root().resolve(RULES)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule of the rules file, in order, as its YAML map. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> ruleList() {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules().get("groups")) {
      all.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return all;
  }

  /** The names the rules file records. */
  static Set<String> recordedNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> rule : ruleList()) {
      if (rule.get("record") != null) {
        names.add((String) rule.get("record"));
      }
    }
    return names;
  }

  static List<Query> ruleQueries() {
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> rule : ruleList()) {
      String name = rule.containsKey("alert") ? "alert " + rule.get("alert")
          : "record " + rule.get("record");
      queries.add(new Query(RULES + " " + name, String.valueOf(rule.get("expr"))));
    }
    return queries;
  }

  /** Panel targets (rows' nested panels included), annotations and query variables. */
  static List<Query> dashboardQueries() {
    JsonNode dashboard = dashboard();
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query(DASHBOARD + " panel \"" + panel.path("title").asText() + "\" target "
            + target.path("refId").asText(), target.path("expr").asText()));
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.has("expr")) {
        queries.add(new Query(DASHBOARD + " annotation \"" + annotation.path("name").asText()
            + "\"", annotation.path("expr").asText()));
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!"query".equals(variable.path("type").asText())) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text = query.isTextual() ? query.asText() : query.path("query").asText();
      String where = DASHBOARD + " variable $" + variable.path("name").asText();
      Matcher labelValues = LABEL_VALUES.matcher(text.strip());
      queries.add(labelValues.matches()
          ? new Query(where, labelValues.group(1), Set.of(labelValues.group(2)))
          : new Query(where, text));
    }
    return queries;
  }

  /** Every panel, those inside rows included; rows themselves are not panels here. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if ("row".equals(panel.path("type").asText())) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }
}
