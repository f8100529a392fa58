package dev.temporalrbac.policy.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The production catalog with one rule changed on purpose, for tests that show a check catching
 * a wrong rule. Lives in the catalog package because the rule table and {@code build} are not
 * public.
 */
public final class CatalogWithOneRuleChanged {
  private CatalogWithOneRuleChanged() {}

  /** The catalog with {@code change} applied to the rule of {@code service/method} only. */
  public static MethodCatalog of(String service, String method, UnaryOperator<MethodRule> change) {
    List<MethodRule> rules = new ArrayList<>();
    boolean found = false;
    for (MethodRule rule : RuleTable.rules()) {
      boolean target = rule.service().shortName().equals(service) && rule.method().equals(method);
      found |= target;
      rules.add(target ? change.apply(rule) : rule);
    }
    if (!found) {
      throw new IllegalArgumentException("no rule for " + service + "/" + method);
    }
    return MethodCatalog.build(rules);
  }
}
