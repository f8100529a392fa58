package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.model.AccountRole;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How JWT bearer tokens are verified and mapped to rights ({@code identity.jwt.*}). Immutable;
 * validated by the config loader, which reports every problem at once.
 *
 * @param jwks where the signing keys are: a file path or an {@code http(s)://} URL
 * @param refreshInterval how often the JWKS is fetched again
 * @param unknownKeyRefetchInterval at most one extra fetch per this interval when a token names a
 *     key id the JWKS does not hold (a key rotated in between refreshes)
 * @param fetchTimeout connect and read timeout of one JWKS fetch
 * @param issuer the required {@code iss}; null accepts any
 * @param audience a value the {@code aud} claim must hold; null accepts any
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param algorithms accepted JWS algorithms (RS256, ES256 by default; never {@code none} or HMAC)
 * @param subjectClaim the claim naming the principal ({@code sub})
 * @param groupsClaim the claim listing IdP groups, matched to policy group ids ({@code groups})
 * @param permissionsClaim the claim of {@code <namespace>:<role>} strings ({@code permissions})
 * @param permissionsRegex reads one permission string, with named groups {@code namespace} and
 *     {@code role}; null splits at the first colon, as Temporal's default claim mapper does
 * @param defaultRole the account role of a token whose subject is no policy principal; null
 *     refuses such tokens ({@code none})
 * @param maxVerificationsPerSecond signature checks of tokens not yet verified, per second, across
 *     all callers, in RS256 checks (an ECDSA check counts 5); past it a new token is refused
 *     RESOURCE_EXHAUSTED unchecked (a bogus token that passes the cheap checks costs a signature
 *     check, so this bounds the CPU unauthenticated callers can spend)
 */
public record JwtSettings(
    String jwks,
    Duration refreshInterval,
    Duration unknownKeyRefetchInterval,
    Duration fetchTimeout,
    String issuer,
    String audience,
    Duration clockSkew,
    List<String> algorithms,
    String subjectClaim,
    String groupsClaim,
    String permissionsClaim,
    Pattern permissionsRegex,
    AccountRole defaultRole,
    int maxVerificationsPerSecond) {

  /** RS256-equivalent checks of new tokens per second, by default: about 0.2 of one core. */
  public static final int DEFAULT_MAX_VERIFICATIONS_PER_SECOND = 1000;
  /** The algorithms accepted when none are configured. */
  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  /** The asymmetric JWS algorithms that may be configured; {@code none} and HMAC never. */
  public static final List<String> ALLOWED_ALGORITHMS = List.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  public JwtSettings {
    Objects.requireNonNull(jwks, "jwks");
    algorithms = List.copyOf(algorithms);
    if (maxVerificationsPerSecond < 1) {
      throw new IllegalArgumentException("max_verifications_per_second must be positive");
    }
    for (String algorithm : algorithms) {
      if (!ALLOWED_ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException("algorithm " + algorithm + " is not accepted (allowed: "
            + String.join(", ", ALLOWED_ALGORITHMS) + ")");
      }
    }
  }

  /**
   * Compiles a {@code permissions_regex} as Temporal's configuration writes it: Go's named groups
   * {@code (?P<name>...)} are read as Java's {@code (?<name>...)}.
   *
   * @throws IllegalArgumentException when it does not compile or lacks the named groups
   *     {@code namespace} and {@code role}
   */
  public static Pattern permissionsPattern(String regex) {
    String java = regex.replace("(?P<", "(?<");
    Pattern pattern;
    try {
      pattern = Pattern.compile(java);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("permissions_regex does not compile: "
          + e.getDescription());
    }
    // an empty alternative always matches "", which lets the matcher say which groups exist
    java.util.regex.Matcher probe = Pattern.compile("(?:" + java + ")|").matcher("");
    probe.matches();
    for (String group : List.of("namespace", "role")) {
      try {
        probe.start(group); // -1 when the group exists, IllegalArgumentException when it does not
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("permissions_regex needs a named group '" + group
            + "', written (?<" + group + ">...) or (?P<" + group + ">...)");
      }
    }
    return pattern;
  }

  /** Settings with every default for {@code jwks} (tests, examples). */
  public static JwtSettings defaults(String jwks) {
    return new JwtSettings(jwks, Duration.ofMinutes(5), Duration.ofSeconds(30),
        Duration.ofSeconds(5), null, null, Duration.ofSeconds(60), DEFAULT_ALGORITHMS, "sub",
        "groups", "permissions", null, AccountRole.READ_ONLY, DEFAULT_MAX_VERIFICATIONS_PER_SECOND);
  }
}
