package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The dashboard and the rules are usable as shipped: every panel reads the dashboard's data
 * source and filters by its job, every alert says how bad it is and what to do, and every alert
 * is shown firing by the promtool test file. (That the metrics they name exist is
 * {@link DashboardMetricsTest}.)
 */
class DeployShapeTest {
  private static final String DATASOURCE = "${datasource}";
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void everyPanelReadsTheDatasourceVariableAndHasQueries() {
    JsonNode dashboard = DeployFiles.dashboard();
    assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion");
    assertEquals("temporal-rbac-proxy", dashboard.path("uid").asText());
    List<String> problems = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if ("row".equals(panel.path("type").asText()) && !ids.add(panel.path("id").asInt())) {
        problems.add("row id " + panel.path("id") + " repeats");
      }
    }
    for (JsonNode panel : DeployFiles.panels(dashboard)) {
      String title = "panel \"" + panel.path("title").asText() + "\"";
      if (!ids.add(panel.path("id").asInt())) {
        problems.add(title + ": id " + panel.path("id") + " repeats");
      }
      JsonNode grid = panel.path("gridPos");
      if (grid.path("w").asInt() < 1 || grid.path("x").asInt() + grid.path("w").asInt() > 24) {
        problems.add(title + ": gridPos " + grid + " is not within 24 columns");
      }
      if ("text".equals(panel.path("type").asText())) {
        continue;
      }
      if (!DATASOURCE.equals(panel.path("datasource").path("uid").asText())) {
        problems.add(title + ": datasource is " + panel.path("datasource"));
      }
      if (panel.path("targets").isEmpty()) {
        problems.add(title + ": no targets");
      }
      for (JsonNode target : panel.path("targets")) {
        if (!DATASOURCE.equals(target.path("datasource").path("uid").asText())) {
          problems.add(title + " target " + target.path("refId") + ": datasource is "
              + target.path("datasource"));
        }
        if (target.path("expr").asText().isBlank()) {
          problems.add(title + " target " + target.path("refId") + ": no expr");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theTemplateOffersDatasourceJobAndInstance() {
    Map<String, JsonNode> variables = new LinkedHashMap<>();
    for (JsonNode variable : DeployFiles.dashboard().path("templating").path("list")) {
      variables.put(variable.path("name").asText(), variable);
    }
    assertTrue(variables.keySet().containsAll(List.of("datasource", "job", "instance")),
        variables.keySet().toString());
    assertEquals("datasource", variables.get("datasource").path("type").asText());
    assertEquals("prometheus", variables.get("datasource").path("query").asText());
    for (String name : List.of("job", "instance")) {
      assertEquals(DATASOURCE, variables.get(name).path("datasource").path("uid").asText(), name);
    }
  }

  /** A panel without the job filter would mix every job Prometheus scrapes into its lines. */
  @Test
  void everyPanelSelectorFiltersByTheJobVariable() {
    List<String> unfiltered = new ArrayList<>();
    for (Query query : DeployFiles.dashboardQueries()) {
      if (query.where().contains(" variable $job")) {
        continue; // the job variable lists the jobs
      }
      Promql parsed = query.parsed();
      for (String name : parsed.metricNames()) {
        if (!parsed.selectorLabels().getOrDefault(name, Set.of()).contains("job")) {
          unfiltered.add(query.where() + ": " + name);
        }
      }
    }
    assertEquals(List.of(), unfiltered);
  }

  /** The dashboard must work where the recording rules are not loaded. */
  @Test
  void theDashboardUsesNoRecordedName() {
    List<String> recorded = new ArrayList<>();
    for (Query query : DeployFiles.dashboardQueries()) {
      query.parsed().recordedNames().forEach(name -> recorded.add(query.where() + ": " + name));
    }
    assertEquals(List.of(), recorded);
  }

  @Test
  void everyAlertHasASeverityASummaryADescriptionAndARunbook() {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> rule : DeployFiles.ruleList()) {
      if (rule.get("alert") == null) {
        continue;
      }
      Object alert = rule.get("alert");
      Map<?, ?> labels = (Map<?, ?>) rule.getOrDefault("labels", Map.of());
      if (!SEVERITIES.contains(String.valueOf(labels.get("severity")))) {
        problems.add(alert + ": severity " + labels.get("severity") + " is not one of "
            + SEVERITIES);
      }
      Map<?, ?> annotations = (Map<?, ?>) rule.getOrDefault("annotations", Map.of());
      for (String key : List.of("summary", "description", "runbook")) {
        if (annotations.get(key) == null || annotations.get(key).toString().isBlank()) {
          problems.add(alert + ": no " + key + " annotation");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRecordedNameARuleUsesIsRecordedThere() {
    Set<String> recorded = DeployFiles.recordedNames();
    List<String> undefined = new ArrayList<>();
    for (Query query : DeployFiles.ruleQueries()) {
      query.parsed().recordedNames().stream().filter(name -> !recorded.contains(name))
          .forEach(name -> undefined.add(query.where() + ": " + name));
    }
    assertEquals(List.of(), undefined);
  }

  /** promtool runs the test file in CI; here: it exists and covers every alert, firing. */
  @Test
  @SuppressWarnings("unchecked")
  void everyAlertIsShownFiringInThePromtoolTests() throws IOException {
    String file = DeployFiles.RULES.replace("-rules.yaml", "-rules.test.yaml");
    Map<String, Object> tests = (Map<String, Object>) new Yaml(
        new SafeConstructor(new LoaderOptions())).load(
            Files.readString(DeployFiles.root().resolve(file)));
    Set<String> firing = new LinkedHashSet<>();
    for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> alertTest : (List<Map<String, Object>>) test.getOrDefault(
          "alert_rule_test", List.of())) {
        if (!((List<?>) alertTest.get("exp_alerts")).isEmpty()) {
          firing.add((String) alertTest.get("alertname"));
        }
      }
    }
    Set<String> alerts = new LinkedHashSet<>();
    DeployFiles.ruleList().stream().filter(rule -> rule.get("alert") != null)
        .forEach(rule -> alerts.add((String) rule.get("alert")));
    alerts.removeAll(firing);
    assertEquals(Set.of(), alerts, "alerts never shown firing in " + file);
  }
}
