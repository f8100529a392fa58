package dev.temporalrbac.policy.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Temporal Cloud account-level roles. Every user and service account holds exactly one; a user's
 * groups may add more (its rights are the union, see {@link EffectiveRights}).
 *
 * <p>The declaration order is the rank used to report "the highest role" of a principal.
 */
public enum AccountRole {
  READ_ONLY("read_only"),
  FINANCE_ADMIN("finance_admin"),
  DEVELOPER("developer"),
  GLOBAL_ADMIN("global_admin"),
  ACCOUNT_OWNER("account_owner");

  private final String yamlName;

  AccountRole(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name used in policy files and in messages, e.g. {@code global_admin}. */
  public String yamlName() {
    return yamlName;
  }

  /** True for the two roles that hold Namespace Admin on every namespace, irrevocably. */
  public boolean isAdminEverywhere() {
    return this == GLOBAL_ADMIN || this == ACCOUNT_OWNER;
  }

  /** Parses a policy-file role name; case-insensitive, {@code -} and {@code _} alike. */
  public static Optional<AccountRole> parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (AccountRole role : values()) {
      if (role.yamlName.equals(wanted)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
