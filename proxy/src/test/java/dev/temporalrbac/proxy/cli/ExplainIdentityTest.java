package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.WORKFLOW;
import static dev.temporalrbac.proxy.cli.CliRun.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --jwt} and {@code --cert}: decided with serve's identity settings, by the same
 * authorizer as the wire, and the token is never printed.
 */
class ExplainIdentityTest {
  private static final String START = WORKFLOW + "StartWorkflowExecution";
  private static final String WORKER = "spiffe://example.org/ns/payments/sa/worker";
  private static final String ISSUER = "https://idp.example.com/";
  private static final String AUDIENCE = "temporal";
  private static final String POLICY_YAML = """
      users:
        - id: alice@example.com
          role: developer
          namespaces:
            payments: write
      service_accounts:
        - id: %s
          namespace_scoped:
            namespace: payments
            permission: write
      namespaces:
        - name: payments
        - name: billing
      """.formatted(WORKER);

  @TempDir static Path dir;
  private static RSAKey key;
  private static Path jwks;
  private static Path policy;

  @BeforeAll
  static void keysAndPolicy() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    jwks = Files.writeString(dir.resolve("jwks.json"),
        new JWKSet(key.toPublicJWK()).toString());
    policy = Files.writeString(dir.resolve("policy.yaml"), POLICY_YAML);
  }

  /** A token for this proxy signed by the JWKS's key, expiring {@code expiresIn} from now. */
  private static String token(String subject, List<String> permissions, Duration expiresIn)
      throws Exception {
    return token(subject, permissions, expiresIn, AUDIENCE);
  }

  private static String token(String subject, List<String> permissions, Duration expiresIn,
      String audience) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test-key")
        .build(), new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience).subject(subject)
        .claim("permissions", permissions)
        .expirationTime(Date.from(Instant.now().plus(expiresIn))).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static CliRun explain(String... options) {
    List<String> argv = new ArrayList<>(List.of("explain", "--policy", policy.toString()));
    argv.addAll(List.of(options));
    return CliRun.of(argv.toArray(String[]::new));
  }

  @Test
  void aTemporalPermissionsTokenIsDecidedAsOnTheWire() throws Exception {
    String token = token("ci-runner", List.of("payments:write"), Duration.ofHours(1));
    CliRun allowed = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START,
        "--namespace", "payments");
    assertEquals(ExitCode.OK, allowed.code(), allowed.out() + allowed.err());
    Struct answer = allowed.answer();
    assertEquals("allowed", field(answer, "reason_code"));
    assertEquals("jwt", field(answer, "identified_by"));
    assertEquals("ci-runner", field(answer, "credential_id"));

    CliRun denied = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START,
        "--namespace", "billing");
    assertEquals(ExitCode.DENY, denied.code(), denied.out() + denied.err());
    assertEquals("missing_namespace_permission", field(denied.answer(), "reason_code"));
    assertFalse(allowed.out().contains(token) || denied.out().contains(token), "token printed");
  }

  @Test
  void aTokenWhoseSubjectIsAPrincipalGetsItsRights() throws Exception {
    String token = token("alice@example.com", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START,
        "--namespace", "payments");
    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    assertEquals("alice@example.com", field(run.answer(), "principal"));
  }

  @Test
  void anExpiredTokenIsUnauthenticatedAndNeverPrinted() throws Exception {
    String token = token("ci-runner", List.of("payments:write"), Duration.ofHours(-1));
    CliRun run = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START,
        "--namespace", "payments");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    assertEquals("UNAUTHENTICATED", field(run.answer(), "status"));
    assertEquals("token_expired", field(run.answer(), "reason_code"));
    assertFalse((run.out() + run.err()).contains(token), "token printed");
  }

  @Test
  void theIdentitySettingsComeFromTheConfigFileToo() throws Exception {
    Path config = Files.writeString(dir.resolve("proxy.yaml"),
        "identity:\n  jwt:\n    jwks: " + jwks + "\n    issuer: " + ISSUER
            + "\n    audience: " + AUDIENCE + "\n    default_role: none\n");
    String token = token("ci-runner", List.of("payments:write"), Duration.ofHours(1));
    CliRun run = explain("--config", config.toString(), "--jwt", token, "--method", START,
        "--namespace", "payments");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    assertEquals("token_unknown_subject", field(run.answer(), "reason_code"));
  }

  @Test
  void aJwtNeedsAJwks() throws Exception {
    String token = token("ci-runner", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwt", token, "--method", START);
    assertEquals(ExitCode.USAGE, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("--jwt needs identity.jwt.jwks"), run.err());
    assertFalse(run.err().contains(token), "token printed");
  }

  @Test
  void aJwksThatCannotBeLoadedIsRejected() throws Exception {
    String token = token("ci-runner", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwks", dir.resolve("missing.json").toString(), "--jwt-issuer",
        ISSUER, "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("cannot load the JWKS"), run.err());
  }

  @Test
  void aJwksUrlsCredentialsAreNeverPrinted() throws Exception {
    String token = token("ci-runner", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwks", "http://svc:pa55word@127.0.0.1:1/keys.json?token=t0ken",
        "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE, "--jwks-fetch-timeout", "2s",
        "--jwt", token, "--method", START);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("cannot load the JWKS http://127.0.0.1:1/keys.json"
        + " (identity.jwt.jwks)"), run.err());
    String printed = run.out() + run.err();
    assertFalse(printed.contains("pa55word") || printed.contains("t0ken"), printed);
  }

  @Test
  void aTokenForAnotherAudienceIsRefusedAndAnyAcceptsIt() throws Exception {
    String token = token("ci-runner", List.of("payments:write"), Duration.ofHours(1), "other-app");
    CliRun refused = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--jwt", token, "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.DENY, refused.code(), refused.out() + refused.err());
    assertEquals("token_wrong_audience", field(refused.answer(), "reason_code"));

    CliRun anyAudience = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", "any", "--jwt", token, "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.OK, anyAudience.code(), anyAudience.out() + anyAudience.err());
  }

  @Test
  void aJwksWithoutIssuerAndAudienceIsRejected() throws Exception {
    String token = token("ci-runner", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwks", jwks.toString(), "--jwt", token, "--method", START);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("identity.jwt.issuer (--jwt-issuer) is required"), run.err());
    assertTrue(run.err().contains("identity.jwt.audience (--jwt-audience) is required"),
        run.err());
  }

  @Test
  void badIdentitySettingsAreAllReported() {
    CliRun run = explain("--jwt-issuer", "https://idp", "--tls-client-auth", "require",
        "--principal", "alice@example.com", "--method", START);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("identity.jwt.issuer is set but identity.jwt.jwks"), run.err());
    assertTrue(run.err().contains("tls.client_auth require needs tls.client_ca"), run.err());
  }

  @Test
  void aClientCertificateNamesItsSpiffePrincipal() throws Exception {
    Path cert = certificate("worker", WORKER);
    CliRun allowed = explain("--tls-client-ca", cert.toString(), "--cert", cert.toString(),
        "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.OK, allowed.code(), allowed.out() + allowed.err());
    Struct answer = allowed.answer();
    assertEquals(WORKER, field(answer, "principal"));
    assertEquals("mtls", field(answer, "identified_by"));

    CliRun denied = explain("--tls-client-ca", cert.toString(), "--cert", cert.toString(),
        "--method", START, "--namespace", "billing");
    assertEquals(ExitCode.DENY, denied.code(), denied.out() + denied.err());
  }

  @Test
  void aCertificateNamingNoPrincipalIsUnauthenticated() throws Exception {
    Path cert = certificate("stranger", "spiffe://example.org/ns/other/sa/stranger");
    CliRun run = explain("--tls-client-ca", cert.toString(), "--cert", cert.toString(),
        "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    assertEquals("certificate_unknown_principal", field(run.answer(), "reason_code"));
  }

  @Test
  void aBearerCredentialBesideACertificateIdentifiesTheCaller() throws Exception {
    Path cert = certificate("worker-2", WORKER);
    String token = token("alice@example.com", List.of(), Duration.ofHours(1));
    CliRun run = explain("--jwks", jwks.toString(), "--jwt-issuer", ISSUER,
        "--jwt-audience", AUDIENCE, "--tls-client-ca", cert.toString(),
        "--cert", cert.toString(), "--jwt", token, "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    assertEquals("alice@example.com", field(run.answer(), "principal"));
    assertEquals("jwt", field(run.answer(), "identified_by"));
  }

  @Test
  void aCertificateThatDoesNotVerifyAgainstTheClientCaIsNeverDecided() throws Exception {
    Path worker = certificate("worker-4", WORKER);
    Path otherCa = certificate("other-ca", "spiffe://example.org/ca");
    CliRun run = explain("--tls-client-ca", otherCa.toString(), "--cert", worker.toString(),
        "--method", START, "--namespace", "payments");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("does not verify against tls.client_ca"), run.err());
    assertFalse(run.out().contains("\"decision\""), "no decision is printed: " + run.out());
  }

  @Test
  void aCertificateNeedsClientCertificatesAccepted() throws Exception {
    Path cert = certificate("worker-3", WORKER);
    CliRun run = explain("--cert", cert.toString(), "--method", START);
    assertEquals(ExitCode.USAGE, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("--cert needs client certificates accepted"), run.err());
  }

  @Test
  void aFileWithoutACertificateIsRejected() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    CliRun run = explain("--tls-client-ca", notPem.toString(), "--cert", notPem.toString(),
        "--method", START);
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("not.pem"), run.err());
  }

  /** A self-signed P-256 certificate with a URI SAN, as PEM (its own trust anchor). */
  private static Path certificate(String name, String uri) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
    Path file = dir.resolve(name + ".pem");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))));
    }
    return file;
  }
}
