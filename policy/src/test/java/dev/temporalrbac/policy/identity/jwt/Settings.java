package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.model.AccountRole;
import java.time.Duration;
import java.util.regex.Pattern;

/** JwtSettings for the tests, varied one component at a time. */
final class Settings {
  private String jwks;
  private String issuer;
  private String audience;
  private AccountRole defaultRole = AccountRole.READ_ONLY;
  private Pattern regex;
  private String groupsClaim = "groups";
  private String permissionsClaim = "permissions";
  private Duration refresh = Duration.ofHours(1);
  private java.util.List<String> algorithms = JwtSettings.DEFAULT_ALGORITHMS;
  private int maxVerificationsPerSecond = JwtSettings.DEFAULT_MAX_VERIFICATIONS_PER_SECOND;

  static Settings of(String jwks) {
    Settings s = new Settings();
    s.jwks = jwks;
    return s;
  }

  Settings issuer(String value) {
    issuer = value;
    return this;
  }

  Settings audience(String value) {
    audience = value;
    return this;
  }

  Settings defaultRole(AccountRole value) {
    defaultRole = value;
    return this;
  }

  Settings regex(Pattern value) {
    regex = value;
    return this;
  }

  Settings groupsClaim(String value) {
    groupsClaim = value;
    return this;
  }

  Settings permissionsClaim(String value) {
    permissionsClaim = value;
    return this;
  }

  Settings refresh(Duration value) {
    refresh = value;
    return this;
  }

  Settings algorithms(String... values) {
    algorithms = java.util.List.of(values);
    return this;
  }

  Settings maxVerificationsPerSecond(int perSecond) {
    maxVerificationsPerSecond = perSecond;
    return this;
  }

  JwtSettings build() {
    return new JwtSettings(jwks, refresh, Duration.ofSeconds(30), Duration.ofSeconds(5), issuer,
        audience, Duration.ofSeconds(60), algorithms, "sub", groupsClaim, permissionsClaim, regex,
        defaultRole, maxVerificationsPerSecond);
  }
}
