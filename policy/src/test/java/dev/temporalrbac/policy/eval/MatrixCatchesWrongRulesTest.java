package dev.temporalrbac.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.CatalogWithOneRuleChanged;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.eval.AuthorizerMatrix.Case;
import dev.temporalrbac.policy.eval.AuthorizerMatrix.Kind;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The matrix catches a wrong rule: run over a catalog whose rule table has one rule changed (the
 * two changes the issue names), it reports the calls that rule now decides wrongly, on that
 * method only, in a message naming the principal and the data row. The expectations still come
 * from the data; the production rules are only the thing being broken on purpose.
 */
class MatrixCatchesWrongRulesTest {
  private static final PolicySnapshot POLICY = Fixtures.standard().build();

  @Test
  void terminateWorkflowExecutionMovedFromWriteToRead() {
    Map<Kind, String> found = mismatchesWith("WorkflowService", "TerminateWorkflowExecution",
        rule -> new MethodRule(rule.service(), rule.method(), rule.scope(), rule.roles(),
            NamespacePermission.READ, rule.behaviour(), rule.readOnly(), rule.source()));
    assertTrue(found.get(Kind.NS1_READ).startsWith("expected DENY (PERMISSION_DENIED,"
        + " MISSING_NAMESPACE_PERMISSION) for reader (read_only, read on ns1) on"
        + " WorkflowService/TerminateWorkflowExecution per permission-facts.tsv (workflow-level"
        + " table, 2 ticks): namespace write; got ALLOW"), found.get(Kind.NS1_READ));
    // the others keep their verdict, but the decision tells them the wrong requirement
    assertTrue(found.get(Kind.READ_ONLY).endsWith(
        "requirement 'namespace:read', expected 'namespace:write'"), found.get(Kind.READ_ONLY));
    assertEquals(EnumSet.complementOf(EnumSet.of(Kind.ANONYMOUS)), found.keySet());
  }

  @Test
  void getUsageOpenedToEveryRole() {
    Map<Kind, String> found = mismatchesWith("CloudService", "GetUsage",
        rule -> new MethodRule(rule.service(), rule.method(), rule.scope(),
            EnumSet.allOf(AccountRole.class), rule.permission(), rule.behaviour(), rule.readOnly(),
            rule.source()));
    assertTrue(found.get(Kind.READ_ONLY).startsWith("expected DENY (PERMISSION_DENIED,"
        + " MISSING_ROLE) for viewer (read_only) on CloudService/GetUsage per permission-facts.tsv"
        + " (account-level table, 3 ticks): roles finance_admin, global_admin, account_owner;"
        + " got ALLOW"), found.get(Kind.READ_ONLY));
    Set<Kind> wronglyAllowed = EnumSet.noneOf(Kind.class);
    found.forEach((kind, message) -> {
      if (message.startsWith("expected DENY")) {
        wronglyAllowed.add(kind);
      }
    });
    assertEquals(EnumSet.of(Kind.DEVELOPER, Kind.READ_ONLY, Kind.NS1_READ, Kind.NS1_WRITE,
        Kind.NS1_ADMIN, Kind.SCOPED_SA_NS1_WRITE), wronglyAllowed);
  }

  /**
   * The matrix's mismatches, by kind, over the catalog with the rule of {@code service/method}
   * changed by {@code change}; fails if any falls on another method.
   */
  private static Map<Kind, String> mismatchesWith(String service, String method,
      UnaryOperator<MethodRule> change) {
    AuthorizerMatrix matrix = new AuthorizerMatrix(new Authorizer(
        CatalogWithOneRuleChanged.of(service, method, change),
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)), POLICY);
    Map<Kind, String> found = new EnumMap<>(Kind.class);
    Set<String> methods = new TreeSet<>();
    for (Case call : matrix.cases()) {
      String mismatch = matrix.mismatch(call);
      if (mismatch != null) {
        methods.add(AuthorizerMatrix.shortName(call.entry()));
        found.put(call.kind(), mismatch);
      }
    }
    assertEquals(Set.of(service + "/" + method), methods, found::toString);
    return found;
  }
}
