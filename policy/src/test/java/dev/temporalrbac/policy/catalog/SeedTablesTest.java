package dev.temporalrbac.policy.catalog;

import static dev.temporalrbac.policy.model.AccountRole.ACCOUNT_OWNER;
import static dev.temporalrbac.policy.model.AccountRole.DEVELOPER;
import static dev.temporalrbac.policy.model.AccountRole.FINANCE_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.GLOBAL_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.READ_ONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.temporalrbac.policy.catalog.ExpectedPermissions.Expectation;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog's rules against Temporal's own permission tables ({@code
 * shared/seeds/permissions-reference.txt}, read right-aligned as PERMISSIONS.md §1 says, vendored
 * as {@value ExpectedPermissions#FACTS}) and the PERMISSIONS.md §3 rules for the methods the seeds
 * do not list (vendored as {@value ExpectedPermissions#UNLISTED}, see {@link
 * UnlistedMethodRulesTest}). The production rules are compared with the data here; {@code
 * AuthorizerMatrixTest} checks the decisions against the same data.
 */
class SeedTablesTest {
  private static final MethodCatalog CATALOG = MethodCatalog.load();
  private static final String SEED = "shared/seeds/permissions-reference.txt";
  private static final String TICK = "✔";
  /** The seed's facts, vendored: the test runs in a clone without {@code ../shared} too. */
  private static final String FACTS = ExpectedPermissions.FACTS;

  /** One table row: the method, its ticks and its runtime-behaviour marker ("*", "†" or ""). */
  record Row(String method, int ticks, String marker) {}

  private static List<Row> account;
  private static List<Row> namespace;
  private static List<Row> workflow;

  /**
   * The seed's rows, from the facts vendored in the test resources, so the checks run in any
   * clone. Where {@code ../shared} is present (a developer's checkout, the session's CI) the seed
   * itself is read too and must give exactly those facts: the vendored copy cannot drift.
   */
  @BeforeAll
  static void readFacts() throws IOException {
    List<String> vendored = vendoredFacts();
    Path seed = findSeed();
    if (seed != null) {
      List<String> fromSeed = factsOf(Files.readAllLines(seed, StandardCharsets.UTF_8));
      List<String> seedColumns = vendored.stream() // the "who" column is the reading, not the seed
          .map(fact -> fact.substring(0, fact.lastIndexOf('\t'))).toList();
      assertEquals(String.join("\n", fromSeed), String.join("\n", seedColumns), "the facts in "
          + FACTS + " differ from " + seed + ": replace its rows with the expected ones above");
    }
    account = new ArrayList<>();
    namespace = new ArrayList<>();
    workflow = new ArrayList<>();
    for (String fact : vendored) {
      String[] fields = fact.split("\t", -1);
      Row row = new Row(fields[1], Integer.parseInt(fields[2]), fields[3]);
      switch (fields[0]) {
        case "account" -> account.add(row);
        case "namespace" -> namespace.add(row);
        case "workflow" -> workflow.add(row);
        default -> throw new AssertionError("unknown table in " + FACTS + ": " + fact);
      }
    }
    assertFalse(account.isEmpty() || namespace.isEmpty() || workflow.isEmpty(),
        "account-, namespace- and workflow-level facts");
  }

  /** The vendored facts, one {@code table\tmethod\tticks\tmarker} line each; never missing. */
  private static List<String> vendoredFacts() {
    return ExpectedPermissions.rows(FACTS);
  }

  /** {@value #SEED} in this directory or up to 5 parents, or null. */
  private static Path findSeed() {
    return ExpectedPermissions.findShared(SEED);
  }

  /** The seed's three tables as fact lines, read right-aligned as PERMISSIONS.md §1 says. */
  static List<String> factsOf(List<String> seedLines) {
    List<List<Row>> tables = new ArrayList<>();
    List<Row> current = null;
    for (String line : seedLines) {
      if (line.startsWith("| Permission |")) {
        current = new ArrayList<>();
        tables.add(current);
      } else if (current != null && line.startsWith("|") && !line.startsWith("|---")) {
        String[] cells = line.split("\\|");
        String ticks = line.substring(line.indexOf('|', 1));
        int count = ticks.split(TICK, -1).length - 1;
        String marker = ticks.contains("*") ? "*" : ticks.contains("†") ? "†" : "";
        current.add(new Row(cells[1].trim(), count, marker));
      } else if (!line.startsWith("|")) {
        current = null;
      }
    }
    assertEquals(3, tables.size(), "account-, namespace- and workflow-level tables");
    List<String> facts = new ArrayList<>();
    String[] names = {"account", "namespace", "workflow"};
    for (int t = 0; t < 3; t++) {
      for (Row row : tables.get(t)) {
        facts.add(names[t] + "\t" + row.method() + "\t" + row.ticks() + "\t" + row.marker());
      }
    }
    return facts;
  }

  @Test
  void aStatedRuleThatItsTicksDoNotReadFailsNamingTheRow() {
    AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> ExpectedPermissions.parseFact(
            "workflow\tTerminateWorkflowExecution\t2\t\tnamespace=read"));
    assertTrue(error.getMessage().contains("TerminateWorkflowExecution states namespace read but"
        + " its 2 ticks read namespace write"), error.getMessage());
    assertEquals(EnumSet.of(FINANCE_ADMIN, GLOBAL_ADMIN, ACCOUNT_OWNER), ExpectedPermissions
        .parseFact("account\tGetUsage\t3\t\troles=finance_admin,global_admin,account_owner")
        .roles());
  }

  @Test
  void theSeedReaderTakesTicksRightAlignedAndMarkersPerRow() {
    List<String> seed = List.of(
        "Account-level permissions", "",
        "| Permission | Read-only | Developer | Global Admin |",
        "|---|---|---|---|",
        "| GetUsers | ✔ | ✔ | ✔ |",
        "| CreateUser | | | ✔ |",
        "",
        "| Permission | Read | Write |",
        "|---|---|---|",
        "| StartWorkflowExecution | | ✔ |",
        "",
        "| Permission | Read | Write |",
        "|---|---|---|",
        "| CreateApiKey | ✔* | ✔* |");
    assertEquals(List.of("account\tGetUsers\t3\t", "account\tCreateUser\t1\t",
        "namespace\tStartWorkflowExecution\t1\t", "workflow\tCreateApiKey\t2\t*"),
        factsOf(seed));
  }

  /** PERMISSIONS.md §1: account-level ticks, right-aligned. */
  static Set<AccountRole> accountRoles(Row row) {
    return ExpectedPermissions.accountRoles(row.method(), row.ticks());
  }

  /** PERMISSIONS.md §1: namespace/workflow ticks: the minimal permission that holds them. */
  static NamespacePermission minimalPermission(Row row) {
    return ExpectedPermissions.minimalPermission(row.method(), row.ticks());
  }

  private static MethodRule rule(TemporalService service, String method) {
    CatalogEntry entry = CATALOG.find(service.fullName() + "/" + method);
    assertNotNull(entry, service.shortName() + "/" + method + " is not in the catalog");
    return entry.rule();
  }

  @Test
  void seedTablesHaveTheExpectedRowCounts() {
    assertEquals(49, account.size());
    assertEquals(17, namespace.size());
    assertEquals(92, workflow.size());
    assertEquals(5, account.stream().filter(r -> r.marker().equals("*")).count());
    assertEquals(5, account.stream().filter(r -> r.marker().equals("†")).count());
  }

  @Test
  void accountLevelRowsMatchTheCatalog() {
    for (Row row : account) {
      MethodRule rule = rule(TemporalService.CLOUD, row.method());
      Behaviour behaviour = switch (row.marker()) {
        case "*" -> Behaviour.API_KEY_OWNERSHIP;
        case "†" -> Behaviour.SERVICE_ACCOUNT_SCOPE;
        default -> row.method().equals("CreateNamespace") // PERMISSIONS.md §4: tags
            ? Behaviour.TAGS_NEED_ADMIN : Behaviour.NONE;
      };
      assertEquals(Scope.ACCOUNT, rule.scope(), row.toString());
      assertEquals(accountRoles(row), rule.roles(), row.toString());
      assertNull(rule.permission(), row.toString());
      assertEquals(behaviour, rule.behaviour(), row.toString());
      assertEquals(RuleTable.SEED_ACCOUNT, rule.source(), row.toString());
    }
  }

  @Test
  void readingTheAccountTableRightAligned() {
    // spot checks of the §1 reading, independent of the parser above
    assertEquals(Set.of(FINANCE_ADMIN, GLOBAL_ADMIN, ACCOUNT_OWNER),
        rule(TemporalService.CLOUD, "GetUsage").roles());
    assertEquals(Set.of(DEVELOPER, GLOBAL_ADMIN, ACCOUNT_OWNER),
        rule(TemporalService.CLOUD, "GetConnectivityRules").roles());
    assertEquals(Set.of(GLOBAL_ADMIN, ACCOUNT_OWNER),
        rule(TemporalService.CLOUD, "UpdateNamespaceTags").roles());
    assertTrue(rule(TemporalService.CLOUD, "GetAccount").roles().contains(READ_ONLY));
  }

  @Test
  void namespaceLevelRowsMatchTheCatalog() {
    checkNamespaceRows(namespace, TemporalService.CLOUD, RuleTable.SEED_NAMESPACE);
  }

  @Test
  void workflowLevelRowsMatchTheCatalog() {
    checkNamespaceRows(workflow, TemporalService.WORKFLOW, RuleTable.SEED_WORKFLOW);
  }

  private static void checkNamespaceRows(List<Row> rows, TemporalService service, String source) {
    for (Row row : rows) {
      MethodRule rule = rule(service, row.method());
      assertEquals(Scope.NAMESPACE, rule.scope(), row.toString());
      assertEquals(minimalPermission(row), rule.permission(), row.toString());
      assertEquals(Set.of(), rule.roles(), row.toString());
      assertEquals(Behaviour.NONE, rule.behaviour(), row.toString());
      assertEquals(source, rule.source(), row.toString());
      assertEquals("", row.marker(), row.toString());
    }
  }

  /**
   * PERMISSIONS.md §3 and the proxy's own service, from the vendored rules ({@link
   * UnlistedMethodRulesTest} checks them against the document).
   */
  @Test
  void unlistedMethodRulesMatchTheCatalog() {
    int checked = 0;
    for (String line : ExpectedPermissions.rows(ExpectedPermissions.UNLISTED)) {
      Expectation expected = ExpectedPermissions.parseUnlisted(line);
      TemporalService service = Arrays.stream(TemporalService.values())
          .filter(s -> s.shortName().equals(expected.service())).findFirst()
          .orElseThrow(() -> new AssertionError("unknown service in " + line));
      MethodRule rule = rule(service, expected.method());
      String row = expected.shortName() + " (" + expected.inWords() + ")";
      switch (expected.access()) {
        case ANY_CALLER -> assertEquals(Scope.PUBLIC, rule.scope(), row);
        case ANY_AUTHENTICATED -> assertEquals(Scope.AUTHENTICATED, rule.scope(), row);
        case ROLES -> {
          assertEquals(Scope.ACCOUNT, rule.scope(), row);
          assertEquals(expected.roles(), rule.roles(), row);
          assertNull(rule.permission(), row);
        }
        case NAMESPACE -> {
          assertEquals(Scope.NAMESPACE, rule.scope(), row);
          assertEquals(expected.permission(), rule.permission(), row);
          assertEquals(Set.of(), rule.roles(), row);
        }
        default -> fail(row);
      }
      assertEquals(expected.onlyReadableNamespaces()
          ? Behaviour.FILTER_NAMESPACE_LIST : Behaviour.NONE, rule.behaviour(), row);
      checked++;
    }
    assertEquals(51 + 3 + 2, checked, "§3's rows and PolicyAdmin's two");
  }

  /**
   * The three seed tables and §3 together cover Temporal's methods in the catalog exactly, each
   * once; the proxy's own PolicyAdmin methods are the rest.
   */
  @Test
  void seedTablesAndSectionThreeCoverTheCatalogExactly() {
    Set<String> seeded = new HashSet<>();
    account.forEach(r -> assertTrue(seeded.add("CLOUD/" + r.method()), r.method()));
    namespace.forEach(r -> assertTrue(seeded.add("CLOUD/" + r.method()), r.method()));
    workflow.forEach(r -> assertTrue(seeded.add("WORKFLOW/" + r.method()), r.method()));
    Set<String> fromSectionThree = new HashSet<>();
    int proxyOwn = 0;
    for (CatalogEntry entry : CATALOG.entries()) {
      MethodRule rule = entry.rule();
      if (rule.service() == TemporalService.POLICY_ADMIN) {
        assertEquals(RuleTable.PROXY_ADMIN, rule.source(), rule.method());
        proxyOwn++;
        continue;
      }
      String key = rule.service().name() + "/" + rule.method();
      boolean fromSeed = rule.source().startsWith("seed:");
      if (fromSeed != seeded.contains(key)) {
        fail(key + " has source '" + rule.source() + "' but seeded=" + seeded.contains(key));
      }
      if (!fromSeed) {
        assertTrue(Arrays.asList(RuleTable.SECTION_3, RuleTable.SERVER_LEVEL)
            .contains(rule.source()), key + ": " + rule.source());
        fromSectionThree.add(key);
      }
    }
    assertEquals(49 + 17 + 92, seeded.size());
    assertEquals(51, fromSectionThree.size(), "the methods §3 lists, GetSearchAttributes aside");
    assertEquals(2, proxyOwn, "PolicyAdmin: Explain and GetPolicyStatus");
    assertEquals(seeded.size() + fromSectionThree.size() + proxyOwn, CATALOG.size());
  }
}
