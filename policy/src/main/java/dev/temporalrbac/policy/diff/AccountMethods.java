package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.catalog.Scope;
import dev.temporalrbac.policy.model.EffectiveRights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which account-scoped methods a principal may call, by the catalog's rules: the measure that
 * orders account roles for a diff. Roles are not a chain (PERMISSIONS.md §1: Finance Admin may
 * call {@code GetUsage} and the billing reports, which Developer may not, and Developer may create
 * namespaces, which Finance Admin may not), so a role change is compared by the methods it makes
 * callable and not callable: only new ones is a gain, only lost ones a loss, both (Developer to
 * Finance Admin) is a gain and a loss. The rules are read as the authorizer reads them: a role
 * the principal holds is among the method's roles, and a namespace-scoped service account may
 * call only the methods every role may call. Immutable and thread-safe.
 */
final class AccountMethods {
  private final List<MethodRule> accountRules = new ArrayList<>();

  AccountMethods(MethodCatalog catalog) {
    for (CatalogEntry entry : catalog.entries()) {
      if (entry.rule().scope() == Scope.ACCOUNT) {
        accountRules.add(entry.rule());
      }
    }
  }

  /**
   * The account methods {@code rights} may call, as {@code Service/Method}, sorted; none for a
   * principal that is not in the policy (null).
   */
  SortedSet<String> callableBy(EffectiveRights rights) {
    if (rights == null) {
      return Collections.emptySortedSet();
    }
    SortedSet<String> callable = new TreeSet<>();
    boolean scoped = rights.principal().isNamespaceScoped();
    for (MethodRule rule : accountRules) {
      if (scoped ? rule.allowsEveryRole() : rights.holdsAnyRole(rule.roles())) {
        callable.add(rule.service().shortName() + "/" + rule.method());
      }
    }
    return callable;
  }
}
