package dev.temporalrbac.policy.catalog;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call one method. Immutable.
 *
 * @param service the service that declares the method
 * @param method the method's simple name, e.g. {@code StartWorkflowExecution}
 * @param scope what the decision is made on
 * @param roles for {@link Scope#ACCOUNT}: the account roles that may call it; empty otherwise
 * @param permission for {@link Scope#NAMESPACE}: the permission needed on each named namespace
 * @param behaviour a runtime rule applied on top of the above
 * @param readOnly the method changes nothing, so a behaviour that guards changes lets it through
 *     ({@link Behaviour#SERVICE_ACCOUNT_SCOPE}: every role may read service accounts). A fact of
 *     the table, never inferred from the method's name, so a method added later is checked
 *     unless its rule says otherwise
 * @param source where the rule comes from (a seed table or a section of PERMISSIONS.md)
 */
public record MethodRule(
    TemporalService service,
    String method,
    Scope scope,
    Set<AccountRole> roles,
    NamespacePermission permission,
    Behaviour behaviour,
    boolean readOnly,
    String source) {

  /** A rule for a method that may change something ({@code readOnly} false). */
  public MethodRule(TemporalService service, String method, Scope scope, Set<AccountRole> roles,
      NamespacePermission permission, Behaviour behaviour, String source) {
    this(service, method, scope, roles, permission, behaviour, false, source);
  }

  public MethodRule {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(behaviour, "behaviour");
    roles = roles.isEmpty()
        ? Collections.emptySet()
        : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    if (scope == Scope.ACCOUNT && roles.isEmpty()) {
      throw new IllegalArgumentException(method + ": an account rule needs at least one role");
    }
    if ((scope == Scope.NAMESPACE) != (permission != null)) {
      throw new IllegalArgumentException(method + ": a permission goes with namespace scope only");
    }
  }

  /** Full gRPC method name as it appears on the wire: {@code service/method}. */
  public String fullMethodName() {
    return service.fullName() + "/" + method;
  }

  /** True when every account role may call the method (the only account methods a namespace-scoped service account may call). */
  public boolean allowsEveryRole() {
    return roles.size() == AccountRole.values().length;
  }

  /** What the rule requires, in the form used by {@code explain} and {@code matrix}. */
  public String requirement() {
    switch (scope) {
      case PUBLIC:
        return "any caller";
      case AUTHENTICATED:
        return "any principal";
      case NAMESPACE:
        return "namespace:" + permission.yamlName();
      case ACCOUNT:
        return allowsEveryRole()
            ? "role:any"
            : "role:" + roles.stream().map(AccountRole::yamlName).collect(Collectors.joining("|"));
      default:
        throw new AssertionError(scope);
    }
  }
}
