package dev.temporalrbac.policy.catalog;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.temporalrbac.policy.wire.Fact;
import dev.temporalrbac.policy.wire.PlanCompiler;
import dev.temporalrbac.policy.wire.RequestPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every method of the pinned services, each paired with its {@link MethodRule} and a
 * {@link RequestPlan}. Built once at start-up from the descriptors of {@code
 * io.temporal:temporal-serviceclient} (and of the proxy's own {@code proto} module for
 * PolicyAdmin): the method list is derived, not transcribed, so a method added upstream shows up
 * in {@link #methodsWithoutRule()} (and is denied) until it has a rule.
 * Immutable and thread-safe.
 */
public final class MethodCatalog {
  /** Fields the runtime behaviours read, by dotted path from the request root. */
  private static final Map<Behaviour, Map<String, Fact>> BEHAVIOUR_PATHS = Map.of(
      Behaviour.API_KEY_OWNERSHIP, orderedPaths(
          "owner_id", Fact.OWNER_ID, "spec.owner_id", Fact.OWNER_ID, "key_id", Fact.KEY_ID),
      Behaviour.SERVICE_ACCOUNT_SCOPE, orderedPaths(
          "service_account_id", Fact.SERVICE_ACCOUNT_ID,
          "spec.access", Fact.ACCOUNT_ACCESS,
          "spec.namespace_scoped_access", Fact.SCOPED_ACCESS,
          "spec.namespace_scoped_access.namespace", Fact.SCOPED_NAMESPACE),
      Behaviour.TAGS_NEED_ADMIN, orderedPaths("tags", Fact.TAGS));

  private final Map<String, CatalogEntry> byName;
  private final List<CatalogEntry> entries;
  private final List<String> methodsWithoutRule;
  private final List<MethodRule> rulesWithoutMethod;

  private MethodCatalog(Map<String, CatalogEntry> byName, List<String> methodsWithoutRule,
      List<MethodRule> rulesWithoutMethod) {
    this.byName = byName;
    this.entries = Collections.unmodifiableList(new ArrayList<>(byName.values()));
    this.methodsWithoutRule = Collections.unmodifiableList(methodsWithoutRule);
    this.rulesWithoutMethod = Collections.unmodifiableList(rulesWithoutMethod);
  }

  /** The catalog of the pinned Temporal artifact and {@link RuleTable}. */
  public static MethodCatalog load() {
    return build(RuleTable.rules());
  }

  /** A catalog pairing the pinned descriptors with the given rules (tests pass partial tables). */
  static MethodCatalog build(List<MethodRule> rules) {
    Map<String, MethodRule> ruleByName = new LinkedHashMap<>();
    for (MethodRule rule : rules) {
      if (ruleByName.put(rule.fullMethodName(), rule) != null) {
        throw new IllegalArgumentException("two rules for " + rule.fullMethodName());
      }
    }
    PlanCompiler compiler = new PlanCompiler();
    Map<String, CatalogEntry> byName = new LinkedHashMap<>();
    List<String> withoutRule = new ArrayList<>();
    for (TemporalService service : TemporalService.values()) {
      ServiceDescriptor descriptor = service.descriptorFile().findServiceByName(
          service.fullName().substring(service.fullName().lastIndexOf('.') + 1));
      if (descriptor == null) {
        throw new IllegalStateException(service.fullName() + " is not in the pinned descriptors");
      }
      for (MethodDescriptor method : descriptor.getMethods()) {
        String name = service.fullName() + "/" + method.getName();
        MethodRule rule = ruleByName.remove(name);
        if (rule == null) {
          if (service != TemporalService.HEALTH) {
            withoutRule.add(name);
          }
          continue;
        }
        byName.put(name, new CatalogEntry(byName.size(), rule, method, plan(compiler, rule, method)));
      }
    }
    return new MethodCatalog(byName, withoutRule, new ArrayList<>(ruleByName.values()));
  }

  private static RequestPlan plan(PlanCompiler compiler, MethodRule rule, MethodDescriptor method) {
    if (rule.scope() == Scope.NAMESPACE) {
      return compiler.namespaceScoped(method.getInputType());
    }
    Map<String, Fact> paths = BEHAVIOUR_PATHS.get(rule.behaviour());
    if (paths == null) {
      return compiler.empty(method.getInputType());
    }
    return compiler.paths(method.getInputType(), paths, new ArrayList<>());
  }

  /** The entry for a full gRPC method name ({@code package.Service/Method}), or null if none. */
  public CatalogEntry find(String fullMethodName) {
    return byName.get(fullMethodName);
  }

  /** Every entry, services in {@link TemporalService} order, methods in descriptor order. */
  public List<CatalogEntry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  /** Methods of Temporal's services that have no rule; they are denied. Empty when complete. */
  public List<String> methodsWithoutRule() {
    return methodsWithoutRule;
  }

  /** Rules naming a method the pinned services do not have; empty when consistent (a test checks). */
  List<MethodRule> rulesWithoutMethod() {
    return rulesWithoutMethod;
  }

  private static Map<String, Fact> orderedPaths(Object... pairs) {
    Map<String, Fact> paths = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      paths.put((String) pairs[i], (Fact) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(paths);
  }
}
