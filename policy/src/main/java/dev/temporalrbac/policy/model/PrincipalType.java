package dev.temporalrbac.policy.model;

/** The two kinds of account principal. */
public enum PrincipalType {
  USER("user"),
  SERVICE_ACCOUNT("service_account");

  private final String label;

  PrincipalType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
