package dev.temporalrbac.proxy.config;

import static dev.temporalrbac.proxy.config.SettingValues.optional;

import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.identity.mtls.CertificateName;
import dev.temporalrbac.policy.identity.mtls.MtlsSettings;
import dev.temporalrbac.policy.model.AccountRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the identity settings ({@code identity.jwt.*}, {@code identity.mtls.*},
 * {@code tls.client_ca}, {@code tls.client_auth}) from the flattened settings {@link ConfigLoader}
 * collected. Adds every problem to the loader's error list instead of stopping at the first, so
 * all of them are reported at once. One instance reads one configuration; not thread-safe.
 */
final class IdentityConfigReader {
  /** Keys whose value may be a YAML list; the loader joins a list's items with commas. */
  static final Set<String> LIST_KEYS = Set.of("identity.jwt.algorithms",
      "identity.mtls.principal_from");

  /** The value of {@code identity.jwt.issuer} or {@code audience} that accepts every value. */
  static final String ANY = "any";
  /** 2^20 - 1: far above what the proxy's CPU can check, low enough never to overflow a bucket. */
  static final int MAX_VERIFICATIONS_PER_SECOND = (1 << 20) - 1;
  /** Longer tolerances keep expired tokens valid too long for an access decision. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

  private static final String JWKS = "identity.jwt.jwks";
  private static final String ALLOW_INSECURE = "identity.jwt.allow_insecure_jwks";
  private static final String JWT_PREFIX = "identity.jwt.";
  private static final String PRINCIPAL_FROM = "identity.mtls.principal_from";

  private final List<String> errors;

  /** {@code errors} is the loader's list; problems are appended to it. */
  IdentityConfigReader(List<String> errors) {
    this.errors = errors;
  }

  /**
   * The identity settings.
   *
   * @param s flattened settings, dotted key to value
   * @param serverTls whether {@code tls.cert} and {@code tls.key} are both set
   */
  IdentitySettings read(Map<String, String> s, boolean serverTls) {
    JwtSettings jwt = jwt(s);
    ClientAuth clientAuth = clientAuth(s, serverTls);
    MtlsSettings mtls = null;
    if (clientAuth != ClientAuth.NONE) {
      mtls = new MtlsSettings(principalFrom(s.getOrDefault(PRINCIPAL_FROM, "spiffe,dns,cn")));
    } else if (s.containsKey(PRINCIPAL_FROM)) {
      errors.add(PRINCIPAL_FROM + " is set but tls.client_auth is none (no client certificate"
          + " is asked for)");
    }
    String clientCa = optional(s, "tls.client_ca");
    return new IdentitySettings(jwt, mtls, clientAuth,
        clientCa == null ? null : java.nio.file.Path.of(clientCa));
  }

  private JwtSettings jwt(Map<String, String> s) {
    String jwks = s.get(JWKS);
    if (jwks == null || jwks.isBlank()) {
      List<String> stray = s.keySet().stream()
          .filter(key -> key.startsWith(JWT_PREFIX) && !key.equals(JWKS))
          .sorted()
          .collect(Collectors.toList());
      if (!stray.isEmpty()) {
        errors.add(String.join(", ", stray) + (stray.size() == 1 ? " is" : " are")
            + " set but " + JWKS + " (--jwks) is not: JWTs are accepted only with a JWKS");
      }
      return null;
    }
    boolean allowInsecure = parse(s, ALLOW_INSECURE, "false", SettingValues::bool);
    jwks = parse(s, JWKS, "keys.json", text -> JwksLocation.check(text, allowInsecure));
    AccountRole defaultRole = parse(s, "identity.jwt.default_role", "read_only",
        IdentityConfigReader::defaultRole);
    return new JwtSettings(jwks,
        parse(s, "identity.jwt.refresh_interval", "5m", SettingValues::positiveDuration),
        parse(s, "identity.jwt.unknown_key_refetch_interval", "30s",
            SettingValues::positiveDuration),
        parse(s, "identity.jwt.fetch_timeout", "5s", SettingValues::positiveDuration),
        required(s, "identity.jwt.issuer", "--jwt-issuer", "issuer",
            "the iss claim of your tokens (e.g. https://idp.example.com/)",
            "a shared identity provider's keys also sign its other tenants' tokens"),
        required(s, "identity.jwt.audience", "--jwt-audience", "audience",
            "a value the aud claim of tokens meant for this proxy holds",
            "without it a token the identity provider issued to any other application is"
                + " accepted here"),
        parse(s, "identity.jwt.clock_skew", "60s", IdentityConfigReader::clockSkew),
        parse(s, "identity.jwt.algorithms", String.join(",", JwtSettings.DEFAULT_ALGORITHMS),
            IdentityConfigReader::algorithms),
        parse(s, "identity.jwt.subject_claim", "sub", IdentityConfigReader::claim),
        parse(s, "identity.jwt.groups_claim", "groups", IdentityConfigReader::claim),
        parse(s, "identity.jwt.permissions_claim", "permissions", IdentityConfigReader::claim),
        s.containsKey("identity.jwt.permissions_regex")
            ? parse(s, "identity.jwt.permissions_regex", "(?<namespace>.*):(?<role>.*)",
                JwtSettings::permissionsPattern)
            : null,
        defaultRole,
        parse(s, "identity.jwt.max_verifications_per_second",
            String.valueOf(JwtSettings.DEFAULT_MAX_VERIFICATIONS_PER_SECOND),
            text -> (int) SettingValues.range(text, 1, MAX_VERIFICATIONS_PER_SECOND)));
  }

  /**
   * A setting that must be given whenever JWTs are accepted; {@code any} opts out (null, and
   * serve warns at start).
   */
  private String required(Map<String, String> s, String key, String flag, String noun,
      String what, String why) {
    String value = optional(s, key);
    if (value == null) {
      errors.add(key + " (" + flag + ") is required with " + JWKS + ": " + why + ". Set it to "
          + what + ", or to '" + ANY + "' to accept every " + noun + " explicitly");
      return null;
    }
    return value.equalsIgnoreCase(ANY) ? null : value;
  }

  private ClientAuth clientAuth(Map<String, String> s, boolean serverTls) {
    String ca = optional(s, "tls.client_ca");
    ClientAuth auth = parse(s, "tls.client_auth", ca == null ? "none" : "require",
        IdentityConfigReader::clientAuth);
    if (auth == ClientAuth.NONE) {
      if (ca != null && s.containsKey("tls.client_auth")) {
        errors.add("tls.client_ca is set but tls.client_auth is none (use optional or require)");
      }
      return auth;
    }
    String needs = "tls.client_auth " + auth.name().toLowerCase(Locale.ROOT) + " needs ";
    if (!serverTls) {
      errors.add(needs + "TLS for callers (tls.cert and tls.key)");
    }
    if (ca == null) {
      errors.add(needs + "tls.client_ca, the roots client certificates are verified against");
    }
    return auth;
  }

  /** A list of certificate name kinds, e.g. {@code spiffe,dns,cn}; refuses repeats. */
  private List<CertificateName> principalFrom(String text) {
    List<CertificateName> kinds = new ArrayList<>();
    for (String item : items(text)) {
      CertificateName kind = CertificateName.parse(item).orElse(null);
      if (kind == null) {
        errors.add(PRINCIPAL_FROM + ": '" + item + "' is not spiffe, dns or cn");
      } else if (kinds.contains(kind)) {
        errors.add(PRINCIPAL_FROM + ": " + kind.settingName() + " is listed twice");
      } else {
        kinds.add(kind);
      }
    }
    if (kinds.isEmpty()) {
      if (items(text).isEmpty()) {
        errors.add(PRINCIPAL_FROM + ": needs at least one of spiffe, dns, cn");
      }
      return List.of(CertificateName.SPIFFE, CertificateName.DNS, CertificateName.CN);
    }
    return kinds;
  }

  /** Accepted JWS algorithms, in their canonical spelling; refuses {@code none} and HMAC. */
  static List<String> algorithms(String text) {
    Set<String> accepted = new LinkedHashSet<>();
    List<String> items = items(text);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("needs at least one algorithm, e.g. RS256");
    }
    for (String item : items) {
      String upper = item.toUpperCase(Locale.ROOT);
      if (upper.equals("NONE")) {
        throw new IllegalArgumentException("'none' is never accepted: an unsigned token proves"
            + " nothing");
      }
      if (upper.startsWith("HS")) {
        throw new IllegalArgumentException(item + " is never accepted: HMAC would let anyone who"
            + " holds the JWKS's public keys sign tokens");
      }
      String canonical = JwtSettings.ALLOWED_ALGORITHMS.stream()
          .filter(name -> name.equalsIgnoreCase(item)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("'" + item + "' is not a JWS algorithm"
              + " the proxy accepts (" + String.join(", ", JwtSettings.ALLOWED_ALGORITHMS) + ")"));
      accepted.add(canonical);
    }
    return List.copyOf(accepted);
  }

  /**
   * The account role of tokens whose subject is no policy principal, or null for {@code none}
   * (such tokens are refused). Never an admin role: every valid token would be an admin.
   */
  static AccountRole defaultRole(String text) {
    if (text.equalsIgnoreCase("none")) {
      return null;
    }
    String expected = "expected read_only, developer, finance_admin or none";
    AccountRole role = AccountRole.parse(text).orElseThrow(() -> new IllegalArgumentException(
        expected + ", got '" + text + "'"));
    if (role.isAdminEverywhere()) {
      throw new IllegalArgumentException(role.yamlName() + " is not allowed: every valid token"
          + " of the identity provider would be an admin of every namespace (make admins policy"
          + " principals, or grant temporal-system:admin in their tokens); " + expected);
    }
    return role;
  }

  /** A clock skew of at most {@link #MAX_CLOCK_SKEW}. */
  static Duration clockSkew(String text) {
    Duration skew = SettingValues.duration(text);
    if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("must be at most 10m (a larger tolerance keeps expired"
          + " tokens valid that much longer), got '" + text + "'");
    }
    return skew;
  }

  static ClientAuth clientAuth(String text) {
    for (ClientAuth auth : ClientAuth.values()) {
      if (auth.name().equalsIgnoreCase(text)) {
        return auth;
      }
    }
    throw new IllegalArgumentException("expected none, optional or require, got '" + text + "'");
  }

  private static String claim(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a claim name must not be empty");
    }
    return text;
  }

  private static List<String> items(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty())
        .collect(Collectors.toList());
  }

  private <T> T parse(Map<String, String> s, String key, String fallback,
      Function<String, T> parser) {
    return SettingValues.parse(errors, s, key, fallback, parser);
  }
}
