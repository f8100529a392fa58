package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.ExpectedPermissions;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.RuntimeRequest;
import dev.temporalrbac.policy.eval.AuthorizerMatrix.Case;
import dev.temporalrbac.policy.eval.AuthorizerMatrix.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog method against every kind of principal, the expected outcome taken from the
 * vendored seed facts and PERMISSIONS.md §3 rules ({@link ExpectedPermissions}), never from the
 * production rules: moving a method to another permission or role fails here, naming the method,
 * the principal and the row that says otherwise.
 */
class AuthorizerMatrixTest {
  private static final AuthorizerMatrix MATRIX =
      new AuthorizerMatrix(AUTHORIZER, Fixtures.standard().build());

  static List<Case> matrix() {
    return MATRIX.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void decisionFollowsTheData(Case call) {
    String mismatch = MATRIX.mismatch(call);
    if (mismatch != null) {
      fail(mismatch);
    }
  }

  /** Both ways: no catalog method without an expectation, no expectation without a method. */
  @Test
  void everyCatalogMethodHasOneExpectationAndEveryExpectationNamesACatalogMethod() {
    Set<String> catalog = new TreeSet<>();
    for (CatalogEntry entry : CATALOG.entries()) {
      assertTrue(catalog.add(AuthorizerMatrix.shortName(entry)), AuthorizerMatrix.shortName(entry));
    }
    Set<String> expected = new TreeSet<>(ExpectedPermissions.all().keySet());
    Set<String> withoutRow = new TreeSet<>(catalog);
    withoutRow.removeAll(expected);
    Set<String> withoutMethod = new TreeSet<>(expected);
    withoutMethod.removeAll(catalog);
    assertEquals(Set.of(), withoutRow, "catalog methods with no row in " + ExpectedPermissions.FACTS
        + " or " + ExpectedPermissions.UNLISTED);
    assertEquals(Set.of(), withoutMethod, "rows naming no catalog method (a rule missing from"
        + " the rule table drops its method from the catalog)");
    assertEquals(49 + 17 + 92 + 51 + 2, catalog.size(), "seed rows, §3's and PolicyAdmin's");
  }

  /** Both ways: each * and † fact has one runtime row, and each runtime row names a fact. */
  @Test
  void everyRuntimeBehaviourIsHandledAsItsRowSays() {
    Map<String, String> marked = new LinkedHashMap<>();
    Set<String> accountLevel = new TreeSet<>();
    for (String fact : ExpectedPermissions.rows(ExpectedPermissions.FACTS)) {
      String[] f = fact.split("\t", -1);
      if (f[0].equals("account")) {
        accountLevel.add(f[1]);
        if (!f[3].isEmpty()) {
          marked.put(f[1], f[3]);
        }
      }
    }
    Map<String, String> handled = new LinkedHashMap<>();
    for (RuntimeRequest row : ExpectedPermissions.runtimeRequests()) {
      assertTrue(accountLevel.contains(row.method()), row + " names no account-level fact");
      assertTrue(Set.of("own-key", "service-account-id", "empty",
          AuthorizerMatrix.LEFT_TO_RUNTIME_BEHAVIOURS_TEST).contains(row.request()),
          row.toString());
      if (!row.marker().startsWith("§4")) {
        assertEquals(null, handled.put(row.method(), row.marker()), "twice: " + row);
      }
    }
    assertEquals(marked, handled, ExpectedPermissions.RUNTIME + " against the markers of "
        + ExpectedPermissions.FACTS);
    assertEquals(10, marked.size(), "five API key and five service account methods");
  }

  /** The rows left to RuntimeBehavioursTest, and only those, are sent anonymously only. */
  @Test
  void onlyTheRowsLeftToRuntimeBehavioursTestAreSentAnonymouslyOnly() {
    Map<String, Integer> casesPerMethod = new LinkedHashMap<>();
    for (Case call : MATRIX.cases()) {
      casesPerMethod.merge(AuthorizerMatrix.shortName(call.entry()), 1, Integer::sum);
    }
    Set<String> anonymousOnly = casesPerMethod.entrySet().stream().filter(e -> e.getValue() == 1)
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    Set<String> leftInData = ExpectedPermissions.runtimeRequests().stream()
        .filter(r -> r.request().equals(AuthorizerMatrix.LEFT_TO_RUNTIME_BEHAVIOURS_TEST))
        .map(r -> "CloudService/" + r.method()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(leftInData, anonymousOnly);
    assertEquals(Set.of("CloudService/CreateServiceAccount", "CloudService/DeleteServiceAccount",
        "CloudService/UpdateServiceAccount"), anonymousOnly);
    casesPerMethod.values().forEach(n -> assertTrue(n == 1 || n == Kind.values().length));
  }

  @Test
  void matrixShowsEveryOutcome() {
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    for (Case call : MATRIX.cases()) {
      counts.merge(MATRIX.decide(call).reason(), 1, Integer::sum);
    }
    assertEquals(EnumSet.of(Reason.ALLOWED, Reason.MISSING_ROLE,
        Reason.MISSING_NAMESPACE_PERMISSION, Reason.NO_CREDENTIALS), counts.keySet(),
        counts::toString);
  }

  @Test
  void everyKindIsBothAllowedAndDeniedSomewhereExceptTheAccountOwner() {
    Map<Kind, Set<Boolean>> seen = new EnumMap<>(Kind.class);
    for (Case call : MATRIX.cases()) {
      seen.computeIfAbsent(call.kind(), k -> new TreeSet<>()).add(MATRIX.decide(call).allowed());
    }
    List<String> wrong = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      Set<Boolean> expected = kind == Kind.ACCOUNT_OWNER ? Set.of(true) : Set.of(false, true);
      if (!expected.equals(seen.get(kind))) {
        wrong.add(kind.describe() + ": " + seen.get(kind));
      }
    }
    assertEquals(List.of(), wrong);
  }
}
