package dev.temporalrbac.it;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.List;
import java.util.Map;

/**
 * The principals of {@code accounts-policy.yaml}, written down again here so that tests compute
 * what each may do independently of the proxy's own reading of that file.
 */
final class Accounts {
  private Accounts() {}

  /**
   * One principal and its key.
   *
   * @param role the account role; null for the namespace-scoped service account
   * @param grants namespace -> permission held there (read, write or admin)
   */
  record Principal(String id, String secret, String keyId, AccountRole role,
      Map<String, String> grants) {
    boolean adminEverywhere() {
      return role == AccountRole.ACCOUNT_OWNER || role == AccountRole.GLOBAL_ADMIN;
    }

    /** True when it holds {@code needed} (or more) on {@code namespace}; "" names none. */
    boolean holds(String namespace, NamespacePermission needed) {
      if (adminEverywhere()) {
        return true;
      }
      return !namespace.isEmpty()
          && rank(grants.getOrDefault(namespace, "")) >= rank(needed.name().toLowerCase());
    }

    private static int rank(String permission) {
      return List.of("", "read", "write", "admin").indexOf(permission);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  static final Principal OWNER = new Principal("owner@example.com", "acct-owner-secret",
      "key-owner", AccountRole.ACCOUNT_OWNER, Map.of());
  static final Principal GLOBAL_ADMIN = new Principal("gadmin@example.com", "acct-gadmin-secret",
      "key-gadmin", AccountRole.GLOBAL_ADMIN, Map.of());
  static final Principal DEVELOPER = new Principal("dev@example.com", "acct-dev-secret",
      "key-dev", AccountRole.DEVELOPER, Map.of("orders", "admin", "billing", "read"));
  static final Principal FINANCE = new Principal("fin@example.com", "acct-fin-secret",
      "key-fin", AccountRole.FINANCE_ADMIN, Map.of("orders", "read"));
  static final Principal READ_ONLY = new Principal("ro@example.com", "acct-ro-secret",
      "key-ro", AccountRole.READ_ONLY, Map.of("orders", "write"));
  /** Namespace-scoped service account: write on orders, no account role. */
  static final Principal ORDERS_SA = new Principal("orders-sa", "acct-orders-sa-secret",
      "key-orders-sa", null, Map.of("orders", "write"));

  /** One principal of each account role, then the namespace-scoped service account. */
  static final List<Principal> ALL =
      List.of(OWNER, GLOBAL_ADMIN, DEVELOPER, FINANCE, READ_ONLY, ORDERS_SA);
}
