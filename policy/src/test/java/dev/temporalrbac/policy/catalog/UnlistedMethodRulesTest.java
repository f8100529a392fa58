package dev.temporalrbac.policy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.ExpectedPermissions.Access;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.Expectation;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The vendored PERMISSIONS.md §3 rules ({@value ExpectedPermissions#UNLISTED}) against the
 * document itself whenever {@code ../shared} is present, as {@link SeedTablesTest} checks the
 * seed's facts; without it the vendored rules are still read and checked for form.
 */
class UnlistedMethodRulesTest {
  private static final String DOCUMENT = "shared/PERMISSIONS.md";
  /** Rows not from §3: the proxy's own service, ruled by the README. */
  private static final String OWN_SERVICE = "README: PolicyAdmin";

  @Test
  void theVendoredRulesAreThoseOfPermissionsMd() throws IOException {
    List<String> vendored = ExpectedPermissions.rows(ExpectedPermissions.UNLISTED);
    vendored.forEach(ExpectedPermissions::parseUnlisted); // every row is well-formed
    List<String> fromSectionThree = vendored.stream()
        .filter(row -> !row.endsWith("\t" + OWN_SERVICE)).collect(Collectors.toList());
    assertEquals(51 + 3, fromSectionThree.size(),
        "§3's rows: 51 methods the seeds do not list, GetSearchAttributes, two 'seed wins'");
    Path document = ExpectedPermissions.findShared(DOCUMENT);
    if (document != null) {
      List<String> expected =
          SectionThreeReader.rowsOf(Files.readAllLines(document, StandardCharsets.UTF_8));
      assertEquals(String.join("\n", expected), String.join("\n", fromSectionThree),
          "the rules in " + ExpectedPermissions.UNLISTED + " differ from §3 of " + document
              + firstDifference(expected, fromSectionThree)
              + "; replace its §3 rows with the expected ones below");
    }
  }

  private static String firstDifference(List<String> expected, List<String> vendored) {
    for (int i = 0; i < Math.max(expected.size(), vendored.size()); i++) {
      String want = i < expected.size() ? expected.get(i) : "(nothing)";
      String have = i < vendored.size() ? vendored.get(i) : "(nothing)";
      if (!want.equals(have)) {
        return " (first at §3 row " + (i + 1) + ": expected '" + want + "', found '" + have + "')";
      }
    }
    return "";
  }

  @Test
  void theProxysOwnServiceIsForAccountAdministrators() {
    List<Expectation> own = ExpectedPermissions.rows(ExpectedPermissions.UNLISTED).stream()
        .filter(row -> row.endsWith("\t" + OWN_SERVICE))
        .map(ExpectedPermissions::parseUnlisted).collect(Collectors.toList());
    assertEquals(List.of("PolicyAdmin/Explain", "PolicyAdmin/GetPolicyStatus"),
        own.stream().map(Expectation::shortName).collect(Collectors.toList()));
    own.forEach(e -> assertEquals(Set.of(AccountRole.GLOBAL_ADMIN, AccountRole.ACCOUNT_OWNER),
        e.roles(), e.shortName()));
  }

  @Test
  void theReaderTakesTheMethodTableTheSeedWinsSentenceAndTheServerTable() {
    List<String> document = List.of(
        "## 2. Who holds what",
        "| Method(s) | Rule |",
        "|---|---|",
        "| `WorkflowService/NotInSectionThree` | any caller |",
        "## 3. Methods the seeds do not list",
        "| Method(s) | Rule |",
        "|---|---|",
        "| `grpc.health.v1.Health/Check`, `WorkflowService/GetSystemInfo` | any caller (SDKs) |",
        "| `WorkflowService/ListNamespaces` | any authenticated principal; the response lists only"
            + " namespaces the caller may Read |",
        "| `WorkflowService/UpdateNamespace`, `DeprecateNamespace`;"
            + " `OperatorService/DeleteNamespace` | Namespace Admin |",
        "| `OperatorService/GetNexusEndpoint` | every account role |",
        "| `CloudService/CreateBillingReport` | Finance Admin, Account Owner |",
        "| `CloudService/GetCustomRole(s)` | every account role; `Create/DeleteCustomRole`:"
            + " Global Admin, Account Owner |",
        "| Other namespace-scoped `WorkflowService` methods | the server's own access level |",
        "| any other service or method | deny (fail closed) |",
        "",
        "Where the seed and the open-source server disagree, the seed wins: `PollX`",
        "and `PollY` need Write.",
        "",
        "| Needs Read | Needs Write |",
        "|---|---|",
        "| CountWorkers, ListDeployments | PauseActivityExecution |",
        "## 4. Runtime behaviours",
        "| Method(s) | Rule |",
        "| `WorkflowService/AfterSectionThree` | any caller |");
    assertEquals(List.of(
        "Health\tCheck\tany-caller\t\t§3",
        "WorkflowService\tGetSystemInfo\tany-caller\t\t§3",
        "WorkflowService\tListNamespaces\tany-authenticated\tonly-readable-namespaces\t§3",
        "WorkflowService\tUpdateNamespace\tnamespace=admin\t\t§3",
        "WorkflowService\tDeprecateNamespace\tnamespace=admin\t\t§3",
        "OperatorService\tDeleteNamespace\tnamespace=admin\t\t§3",
        "OperatorService\tGetNexusEndpoint\t"
            + "roles=read_only,finance_admin,developer,global_admin,account_owner\t\t§3",
        "CloudService\tCreateBillingReport\troles=finance_admin,account_owner\t\t§3",
        "CloudService\tGetCustomRole\t"
            + "roles=read_only,finance_admin,developer,global_admin,account_owner\t\t§3",
        "CloudService\tGetCustomRoles\t"
            + "roles=read_only,finance_admin,developer,global_admin,account_owner\t\t§3",
        "CloudService\tCreateCustomRole\troles=global_admin,account_owner\t\t§3",
        "CloudService\tDeleteCustomRole\troles=global_admin,account_owner\t\t§3",
        "WorkflowService\tPollX\tnamespace=write\t\t§3 seed wins",
        "WorkflowService\tPollY\tnamespace=write\t\t§3 seed wins",
        "WorkflowService\tCountWorkers\tnamespace=read\t\t§3 server access level",
        "WorkflowService\tListDeployments\tnamespace=read\t\t§3 server access level",
        "WorkflowService\tPauseActivityExecution\tnamespace=write\t\t§3 server access level"),
        SectionThreeReader.rowsOf(document));
  }

  @Test
  void aRulePhraseTheReaderDoesNotKnowFailsNamingTheRow() {
    AssertionError error = assertThrows(AssertionError.class, () -> SectionThreeReader.rowsOf(
        List.of("## 3. Methods", "| Method(s) | Rule |", "|---|---|",
            "| `CloudService/GetThing` | whoever asks nicely |")));
    assertTrue(error.getMessage().contains("whoever asks nicely"), error.getMessage());
  }

  @Test
  void aSecondClauseTheReaderDoesNotKnowFailsInsteadOfBeingDropped() {
    AssertionError error = assertThrows(AssertionError.class, () -> SectionThreeReader.rowsOf(
        List.of("## 3. Methods", "| Method(s) | Rule |", "|---|---|",
            "| `CloudService/GetThing` | every account role; only on Tuesdays |")));
    assertTrue(error.getMessage().contains("unknown clause 'only on Tuesdays'"),
        error.getMessage());
  }

  @Test
  void aDocumentWithoutSectionThreeRulesFails() {
    assertThrows(AssertionError.class,
        () -> SectionThreeReader.rowsOf(List.of("## 3. Methods", "nothing here")));
  }

  @Test
  void rowsAreReadAsData() {
    Expectation row = ExpectedPermissions.parseUnlisted(
        "OperatorService\tListClusters\troles=global_admin,account_owner\t\t§3");
    assertEquals(Access.ROLES, row.access());
    assertEquals(Set.of(AccountRole.GLOBAL_ADMIN, AccountRole.ACCOUNT_OWNER), row.roles());
    Expectation read = ExpectedPermissions.parseUnlisted(
        "OperatorService\tListSearchAttributes\tnamespace=read\t\t§3");
    assertEquals(NamespacePermission.READ, read.permission());
    assertFalse(read.onlyReadableNamespaces());
    AssertionError bad = assertThrows(AssertionError.class, () -> ExpectedPermissions
        .parseUnlisted("OperatorService\tListClusters\troles=superuser\t\t§3"));
    assertTrue(bad.getMessage().contains("superuser"), bad.getMessage());
    assertThrows(AssertionError.class, () -> ExpectedPermissions
        .parseUnlisted("OperatorService\tListClusters\tnamespace=read"));
  }

  @Test
  void sectionThreeLinesAboutSeededMethodsAgreeWithTheFacts() {
    // ExpectedPermissions fails to load when they disagree; these are the three such lines
    for (String method : List.of("GetSearchAttributes", "PollWorkflowExecutionUpdate",
        "PollActivityExecution")) {
      Expectation expectation = ExpectedPermissions.all().get("WorkflowService/" + method);
      assertTrue(expectation.source().startsWith("permission-facts.tsv"), expectation.source());
    }
  }
}
