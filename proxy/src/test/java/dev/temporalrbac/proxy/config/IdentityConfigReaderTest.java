package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.identity.mtls.CertificateName;
import dev.temporalrbac.policy.identity.mtls.MtlsSettings;
import dev.temporalrbac.policy.model.AccountRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The identity settings: {@code identity.jwt.*}, {@code identity.mtls.*}, {@code tls.client_*}. */
class IdentityConfigReaderTest {
  @TempDir Path dir;

  private static Map<String, String> flags(String... pairs) {
    return Flags.of(pairs);
  }

  /** {@code --jwks j} with the issuer and audience it requires, then {@code more}. */
  private static String[] jwt(String... more) {
    return Stream.concat(Stream.of("jwks", "j", "jwt-issuer", "https://idp.example.com/",
        "jwt-audience", "temporal"), Stream.of(more)).toArray(String[]::new);
  }

  private static ProxyConfig load(String... pairs) throws ConfigException {
    return new ConfigLoader(Map.of()).load(null, flags(pairs));
  }

  private ProxyConfig loadFile(String yaml) throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, "policy:\n  file: p.yaml\n" + yaml);
    return new ConfigLoader(Map.of()).load(file, Map.of());
  }

  private static ConfigException rejected(String... pairs) {
    return assertThrows(ConfigException.class, () -> load(pairs));
  }

  @Test
  void withoutIdentitySettingsOnlyApiKeysIdentifyCallers() throws Exception {
    IdentitySettings identity = load().identity();
    assertNull(identity.jwt());
    assertNull(identity.mtls());
    assertEquals(ClientAuth.NONE, identity.clientAuth());
  }

  @Test
  void aJwksWithItsIssuerAndAudienceTurnsJwtsOnWithEveryDefault() throws Exception {
    JwtSettings jwt = load("jwks", "https://idp.example.com/.well-known/jwks.json",
        "jwt-issuer", "https://idp.example.com/", "jwt-audience", "temporal").identity().jwt();
    assertEquals("https://idp.example.com/.well-known/jwks.json", jwt.jwks());
    assertEquals(Duration.ofMinutes(5), jwt.refreshInterval());
    assertEquals(Duration.ofSeconds(30), jwt.unknownKeyRefetchInterval());
    assertEquals(Duration.ofSeconds(5), jwt.fetchTimeout());
    assertEquals(Duration.ofSeconds(60), jwt.clockSkew());
    assertEquals("https://idp.example.com/", jwt.issuer());
    assertEquals("temporal", jwt.audience());
    assertEquals(List.of("RS256", "ES256"), jwt.algorithms());
    assertEquals("sub", jwt.subjectClaim());
    assertEquals("groups", jwt.groupsClaim());
    assertEquals("permissions", jwt.permissionsClaim());
    assertNull(jwt.permissionsRegex());
    assertEquals(AccountRole.READ_ONLY, jwt.defaultRole());
    assertEquals(1000, jwt.maxVerificationsPerSecond());
  }

  @Test
  void everyJwtFlagIsRead() throws Exception {
    JwtSettings jwt = load("jwks", "/etc/jwks.json", "jwt-issuer", "https://idp",
        "jwt-audience", "temporal", "jwt-clock-skew", "5s", "jwt-algorithms", "es256, PS512",
        "jwks-refresh-interval", "10m", "jwks-refetch-interval", "1m",
        "jwks-fetch-timeout", "2s", "jwt-subject-claim", "email", "jwt-groups-claim", "roles",
        "jwt-permissions-claim", "perms", "jwt-default-role", "developer",
        "jwt-permissions-regex", "^(?P<namespace>[a-z-]+)\\.(?P<role>\\w+)$",
        "jwt-max-verifications-per-second", "250").identity().jwt();
    assertEquals("/etc/jwks.json", jwt.jwks());
    assertEquals("https://idp", jwt.issuer());
    assertEquals("temporal", jwt.audience());
    assertEquals(Duration.ofSeconds(5), jwt.clockSkew());
    assertEquals(List.of("ES256", "PS512"), jwt.algorithms());
    assertEquals(Duration.ofMinutes(10), jwt.refreshInterval());
    assertEquals(Duration.ofMinutes(1), jwt.unknownKeyRefetchInterval());
    assertEquals(Duration.ofSeconds(2), jwt.fetchTimeout());
    assertEquals("email", jwt.subjectClaim());
    assertEquals("roles", jwt.groupsClaim());
    assertEquals("perms", jwt.permissionsClaim());
    assertEquals(AccountRole.DEVELOPER, jwt.defaultRole());
    Matcher m = jwt.permissionsRegex().matcher("orders.writer");
    assertTrue(m.matches());
    assertEquals("orders", m.group("namespace"));
    assertEquals("writer", m.group("role"));
    assertEquals(250, jwt.maxVerificationsPerSecond());
  }

  @Test
  void defaultRoleNoneRefusesUnknownSubjects() throws Exception {
    assertNull(load(jwt("jwt-default-role", "none")).identity().jwt().defaultRole());
  }

  @Test
  void listsInTheFileAreReadAsLists() throws Exception {
    ProxyConfig config = loadFile("tls:\n  cert: c.pem\n  key: k.pem\n  client_ca: ca.pem\n"
        + "identity:\n  jwt:\n    jwks: j.json\n    issuer: i\n    audience: a\n"
        + "    algorithms: [ES256, RS256]\n"
        + "  mtls:\n    principal_from:\n      - cn\n      - spiffe\n");
    assertEquals(List.of("ES256", "RS256"), config.identity().jwt().algorithms());
    assertEquals(new MtlsSettings(List.of(CertificateName.CN, CertificateName.SPIFFE)),
        config.identity().mtls());
  }

  @Test
  void aCommaStringInTheFileIsAListToo() throws Exception {
    ProxyConfig config = loadFile("identity:\n  jwt:\n    jwks: j.json\n    issuer: i\n"
        + "    audience: a\n    algorithms: RS256,EdDSA\n");
    assertEquals(List.of("RS256", "EdDSA"), config.identity().jwt().algorithms());
  }

  @Test
  void aClientCaAsksForCertificatesByDefault() throws Exception {
    ProxyConfig config = load("tls-cert", "c.pem", "tls-key", "k.pem", "tls-client-ca", "ca.pem");
    assertEquals(ClientAuth.REQUIRE, config.identity().clientAuth());
    assertEquals(MtlsSettings.defaults(), config.identity().mtls());
    assertEquals(Path.of("ca.pem"), config.downstreamTls().ca());
    assertEquals(Path.of("c.pem"), config.downstreamTls().cert());
  }

  @Test
  void optionalClientAuthAndAPrincipalOrder() throws Exception {
    ProxyConfig config = load("tls-cert", "c.pem", "tls-key", "k.pem", "tls-client-ca", "ca.pem",
        "tls-client-auth", "OPTIONAL", "mtls-principal-from", "dns");
    assertEquals(ClientAuth.OPTIONAL, config.identity().clientAuth());
    assertEquals(new MtlsSettings(List.of(CertificateName.DNS)), config.identity().mtls());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(jwt("jwt-algorithms", "none"),
            "identity.jwt.algorithms: 'none' is never accepted"),
        Arguments.of(jwt("jwt-algorithms", "RS256,HS256"),
            "identity.jwt.algorithms: HS256 is never accepted"),
        Arguments.of(jwt("jwt-algorithms", "RS999"),
            "'RS999' is not a JWS algorithm"),
        Arguments.of(jwt("jwt-algorithms", " , "),
            "needs at least one algorithm"),
        Arguments.of(jwt("jwt-permissions-regex", "(?<namespace>\\w+):"),
            "identity.jwt.permissions_regex: permissions_regex needs a named group 'role'"),
        Arguments.of(jwt("jwt-permissions-regex", "(?<namespace>"),
            "identity.jwt.permissions_regex: permissions_regex does not compile"),
        Arguments.of(jwt("jwt-default-role", "boss"),
            "identity.jwt.default_role: expected read_only, developer, finance_admin or none"),
        Arguments.of(jwt("jwt-default-role", "global_admin"), "identity.jwt.default_role:"
            + " global_admin is not allowed: every valid token of the identity provider would be"
            + " an admin"),
        Arguments.of(jwt("jwt-default-role", "Account-Owner"),
            "identity.jwt.default_role: account_owner is not allowed"),
        Arguments.of(jwt("jwt-clock-skew", "11m"), "identity.jwt.clock_skew: must be at most 10m"),
        Arguments.of(jwt("jwt-clock-skew", "601s"), "identity.jwt.clock_skew: must be at most"),
        Arguments.of(jwt("jwt-max-verifications-per-second", "0"),
            "identity.jwt.max_verifications_per_second: 0 is outside 1..1048575"),
        Arguments.of(jwt("jwt-max-verifications-per-second", "1048576"),
            "identity.jwt.max_verifications_per_second: 1048576 is outside 1..1048575"),
        Arguments.of(jwt("jwt-max-verifications-per-second", "lots"), "expected a number"),
        Arguments.of(jwt("jwks-allow-insecure", "maybe"),
            "identity.jwt.allow_insecure_jwks: expected true or false"),
        Arguments.of(jwt("jwks", "https:///jwks.json"),
            "identity.jwt.jwks: not a valid URL with a host"),
        Arguments.of(jwt("jwt-clock-skew", "soon"), "duration"),
        Arguments.of(jwt("jwks-refresh-interval", "0s"),
            "identity.jwt.refresh_interval: must be more than zero"),
        Arguments.of(jwt("jwt-subject-claim", " "),
            "identity.jwt.subject_claim: a claim name must not be empty"),
        Arguments.of(new String[] {"jwks", "ftp://idp/jwks"}, "got a ftp: URL"),
        Arguments.of(new String[] {"jwt-issuer", "https://idp", "jwt-audience", "a"},
            "identity.jwt.audience, identity.jwt.issuer are set but identity.jwt.jwks"),
        Arguments.of(new String[] {"tls-client-auth", "sometimes"},
            "expected none, optional or require"),
        Arguments.of(new String[] {"mtls-principal-from", "cn"},
            "identity.mtls.principal_from is set but tls.client_auth is none"),
        Arguments.of(new String[] {"tls-cert", "c", "tls-key", "k", "tls-client-ca", "ca",
            "mtls-principal-from", "cn,email"}, "'email' is not spiffe, dns or cn"),
        Arguments.of(new String[] {"tls-cert", "c", "tls-key", "k", "tls-client-ca", "ca",
            "mtls-principal-from", "cn,CN"}, "cn is listed twice"),
        Arguments.of(new String[] {"tls-cert", "c", "tls-key", "k", "tls-client-ca", "ca",
            "tls-client-auth", "none"}, "tls.client_ca is set but tls.client_auth is none"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidIdentitySettingsAreRejectedWithAClearMessage(String[] bad, String expected) {
    ConfigException e = rejected(bad);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void issuerAndAudienceAreRequiredWithAJwks() {
    List<String> errors = rejected("jwks", "j").errors();
    assertEquals(2, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("identity.jwt.issuer (--jwt-issuer) is required with"
        + " identity.jwt.jwks: a shared identity provider's keys also sign"), errors.get(0));
    assertTrue(errors.get(1).startsWith("identity.jwt.audience (--jwt-audience) is required with"
        + " identity.jwt.jwks: without it a token"), errors.get(1));
    for (String error : errors) {
      assertTrue(error.endsWith("or to 'any' to accept every " + (error == errors.get(0)
          ? "issuer" : "audience") + " explicitly"), error);
    }
  }

  @Test
  void anyAcceptsEveryIssuerOrAudienceAndServeIsWarned() throws Exception {
    IdentitySettings identity = load("jwks", "j", "jwt-issuer", "any", "jwt-audience", "ANY")
        .identity();
    assertNull(identity.jwt().issuer());
    assertNull(identity.jwt().audience());
    List<String> warnings = identity.warnings();
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("identity.jwt.issuer is any: tokens of every issuer"),
        warnings.get(0));
    assertTrue(warnings.get(1).startsWith("identity.jwt.audience is any: tokens the identity"
        + " provider issued to any application are accepted"), warnings.get(1));

    IdentitySettings oneAny = load("jwks", "j", "jwt-issuer", "https://idp.example.com/",
        "jwt-audience", "any").identity();
    assertEquals("https://idp.example.com/", oneAny.jwt().issuer());
    assertEquals(1, oneAny.warnings().size(), oneAny.warnings().toString());
    assertEquals(List.of(), load(jwt()).identity().warnings());
  }

  @Test
  void adminDefaultRolesAreRefusedButTheOthersAreAccepted() throws Exception {
    assertEquals(AccountRole.FINANCE_ADMIN,
        load(jwt("jwt-default-role", "finance_admin")).identity().jwt().defaultRole());
    assertEquals(AccountRole.DEVELOPER,
        load(jwt("jwt-default-role", "developer")).identity().jwt().defaultRole());
  }

  @Test
  void aClockSkewOfTenMinutesIsTheMost() throws Exception {
    assertEquals(Duration.ofMinutes(10),
        load(jwt("jwt-clock-skew", "10m")).identity().jwt().clockSkew());
    assertEquals(Duration.ZERO, load(jwt("jwt-clock-skew", "0s")).identity().jwt().clockSkew());
  }

  @Test
  void theMostVerificationsPerSecondIsAccepted() throws Exception {
    assertEquals(1048575, load(jwt("jwt-max-verifications-per-second", "1048575")).identity()
        .jwt().maxVerificationsPerSecond());
  }

  @Test
  void plainHttpToAnotherHostNeedsTheOptInAndIsWarnedAbout() throws Exception {
    IdentitySettings identity = load(jwt("jwks", "http://user:pw@idp.internal:8080/keys?token=t1",
        "jwks-allow-insecure", "true")).identity();
    assertEquals("http://user:pw@idp.internal:8080/keys?token=t1", identity.jwt().jwks());
    assertEquals(List.of("identity.jwt.jwks http://idp.internal:8080/keys is plain http"
        + " (allow_insecure_jwks): whoever can answer on the network path chooses the keys"),
        identity.warnings());
  }

  @Test
  void aRefusedUrlIsShownWithoutItsCredentials() {
    ConfigException e = rejected(jwt("jwks", "http://svc:s3cret@idp.example.com/jwks?key=k3y#f"));
    assertEquals(List.of("identity.jwt.jwks: http://idp.example.com/jwks is plain http: anyone"
        + " on the network path could serve their own keys and sign any token. Use https, a"
        + " loopback host (127.0.0.1, ::1, localhost), or set identity.jwt.allow_insecure_jwks:"
        + " true (--jwks-allow-insecure true) if the path is otherwise protected"), e.errors());
  }

  @Test
  void theNewJwtSettingsAreReadFromTheFile() throws Exception {
    JwtSettings jwt = loadFile("identity:\n  jwt:\n    jwks: http://jwks.internal/keys\n"
        + "    issuer: https://idp.example.com/\n    audience: temporal\n"
        + "    allow_insecure_jwks: true\n    max_verifications_per_second: 50\n")
        .identity().jwt();
    assertEquals("http://jwks.internal/keys", jwt.jwks());
    assertEquals(50, jwt.maxVerificationsPerSecond());
  }

  @Test
  void clientCertificatesWithoutServerTlsOrCaReportEveryProblemAtOnce() {
    ConfigException e = rejected("tls-client-auth", "require", "jwt-groups-claim", "g",
        "jwt-algorithms", "HS256");
    assertEquals(List.of(
        "identity.jwt.algorithms, identity.jwt.groups_claim are set but identity.jwt.jwks"
            + " (--jwks) is not: JWTs are accepted only with a JWKS",
        "tls.client_auth require needs TLS for callers (tls.cert and tls.key)",
        "tls.client_auth require needs tls.client_ca, the roots client certificates are verified"
            + " against"), e.errors());
  }

  @Test
  void aListForAOneValueSettingIsAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loadFile("identity:\n  jwt:\n    jwks: [a.json, b.json]\n"));
    assertTrue(e.getMessage().contains("identity.jwt.jwks takes one value, not a list"),
        e.getMessage());
  }
}
