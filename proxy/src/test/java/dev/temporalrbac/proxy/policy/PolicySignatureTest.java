package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Detached JWS over a policy: which signatures pass, which are refused and why. */
class PolicySignatureTest {
  private static final byte[] POLICY = "users: []\n".getBytes(StandardCharsets.UTF_8);
  private static RSAKey rsa;
  private static ECKey ec1;
  private static ECKey ec2;
  private static RSAKey attacker;

  @TempDir
  static Path dir;
  private static Path jwks;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
    ec1 = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    ec2 = new ECKeyGenerator(Curve.P_256).keyID("ec2").generate();
    attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
    jwks = Files.writeString(dir.resolve("jwks.json"),
        new JWKSet(List.of(rsa.toPublicJWK(), ec1.toPublicJWK(), ec2.toPublicJWK())).toString());
  }

  private static byte[] sign(JWSHeader header, JWSSigner signer, byte[] payload)
      throws Exception {
    JWSObject jws = new JWSObject(header, new Payload(payload));
    jws.sign(signer);
    return jws.serialize(true).getBytes(StandardCharsets.US_ASCII);
  }

  private static JWSHeader header(JWSAlgorithm alg, String kid) {
    return builder(alg, kid).build();
  }

  /** A header with {@code kid} and an iat. */
  private static JWSHeader.Builder builder(JWSAlgorithm alg, String kid) {
    return new JWSHeader.Builder(alg).keyID(kid).customParam("iat", PolicySigner.FIRST_IAT);
  }

  /** name, signature, the start of the rejection (null: it verifies). */
  static Stream<Arguments> signatures() throws Exception {
    return Stream.of(
        Arguments.of("RS256 with its kid", sign(header(JWSAlgorithm.RS256, "rsa"),
            new RSASSASigner(rsa), POLICY), null),
        Arguments.of("PS384", sign(header(JWSAlgorithm.PS384, "rsa"), new RSASSASigner(rsa),
            POLICY), null),
        Arguments.of("ES256, the kid chooses among two EC keys",
            sign(header(JWSAlgorithm.ES256, "ec2"), new ECDSASigner(ec2), POLICY), null),
        Arguments.of("RS256 without a kid: the one RSA key fits",
            sign(header(JWSAlgorithm.RS256, null), new RSASSASigner(rsa), POLICY), null),
        Arguments.of("ES256 without a kid: two keys fit",
            sign(header(JWSAlgorithm.ES256, null), new ECDSASigner(ec1), POLICY),
            "the signature names no kid and 2 keys from"),
        Arguments.of("other bytes were signed", sign(header(JWSAlgorithm.RS256, "rsa"),
            new RSASSASigner(rsa), "users: [x]\n".getBytes(StandardCharsets.UTF_8)),
            "the signature does not verify with key 'rsa' RSA"),
        Arguments.of("signed by ec1, naming ec2", sign(header(JWSAlgorithm.ES256, "ec2"),
            new ECDSASigner(ec1), POLICY), "the signature does not verify with key 'ec2'"),
        Arguments.of("an unknown kid", sign(header(JWSAlgorithm.RS256, "gone"),
            new RSASSASigner(rsa), POLICY), "no key from"),
        Arguments.of("HMAC", sign(header(JWSAlgorithm.HS256, "rsa"), new MACSigner(
            new OctetSequenceKeyGenerator(256).generate()), POLICY),
            "signature algorithm HS256 is not accepted"),
        Arguments.of("alg none", (Base64URL.encode("{\"alg\":\"none\"}") + "..AAAA")
            .getBytes(StandardCharsets.US_ASCII), "the signature is not a valid JWS"),
        Arguments.of("not detached", new String(sign(header(JWSAlgorithm.RS256, "rsa"),
            new RSASSASigner(rsa), POLICY), StandardCharsets.US_ASCII)
            .replace("..", "." + Base64URL.encode(POLICY) + ".").getBytes(StandardCharsets.US_ASCII),
            "the signature is not a detached JWS in compact form"),
        Arguments.of("no signature", null, "no signature"),
        Arguments.of("no iat", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa")
            .build(), new RSASSASigner(rsa), POLICY),
            "the signature's protected header has no iat (when it was signed, in seconds since"
                + " 1970), so an older signed version served again could not be told apart; sign"
                + " with it, e.g. {\"alg\":\"RS256\",\"kid\":\"...\",\"iat\":$(date +%s)}"),
        Arguments.of("iat not whole seconds", sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID("rsa").customParam("iat", 1.5).build(), new RSASSASigner(rsa), POLICY),
            "the signature's iat (1.5) is not a positive whole number of seconds"),
        Arguments.of("iat not a number", sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID("rsa").customParam("iat", "yesterday").build(), new RSASSASigner(rsa), POLICY),
            "the signature's iat (yesterday) is not a positive whole number of seconds"),
        Arguments.of("crit iat: understood", sign(builder(JWSAlgorithm.RS256, "rsa")
            .criticalParams(java.util.Set.of("iat")).build(), new RSASSASigner(rsa), POLICY),
            null),
        Arguments.of("crit naming an unknown parameter", sign(builder(JWSAlgorithm.RS256, "rsa")
            .customParam("nbf", 1).criticalParams(java.util.Set.of("iat", "nbf")).build(),
            new RSASSASigner(rsa), POLICY), "the signature's header marks [nbf] critical (crit),"
            + " which the proxy does not understand; only iat may be critical"),
        Arguments.of("its own jwk, an attacker's key that signed it", sign(
            builder(JWSAlgorithm.RS256, "attacker").jwk(attacker.toPublicJWK()).build(),
            new RSASSASigner(attacker), POLICY), "no key from"),
        Arguments.of("its own jwk, an attacker's key, naming a configured kid", sign(
            builder(JWSAlgorithm.RS256, "rsa").jwk(attacker.toPublicJWK()).build(),
            new RSASSASigner(attacker), POLICY), "the signature does not verify with key 'rsa'"),
        Arguments.of("a jku elsewhere, signed by the key it names", sign(
            builder(JWSAlgorithm.RS256, "rsa").jwkURL(java.net.URI.create(
                "https://attacker.example/jwks.json")).build(),
            new RSASSASigner(attacker), POLICY), "the signature does not verify with key 'rsa'"),
        Arguments.of("a jku elsewhere is ignored: the configured key decides", sign(
            builder(JWSAlgorithm.RS256, "rsa").jwkURL(java.net.URI.create(
                "https://attacker.example/jwks.json")).build(), new RSASSASigner(rsa), POLICY),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signatures")
  void verifiesOnlyWhatAConfiguredKeySigned(String name, byte[] jws, String rejection)
      throws Exception {
    PolicySignature check = new PolicySignature(SignatureKeys.file(jwks));
    if (rejection == null) {
      check.verify(POLICY, jws);
      return;
    }
    PolicySignature.Rejected e = assertThrows(PolicySignature.Rejected.class,
        () -> check.verify(POLICY, jws));
    assertTrue(e.getMessage().startsWith(rejection), e.getMessage());
  }

  /** A detached JWS with the header {@code json}, signed by the JDK's Ed25519. */
  private static byte[] signEd25519(String json, KeyPair keys) throws Exception {
    String header = Base64URL.encode(json).toString();
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update((header + "." + Base64URL.encode(POLICY)).getBytes(StandardCharsets.US_ASCII));
    return (header + ".." + Base64URL.encode(signer.sign())).getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"EdDSA", "Ed25519"})
  void ed25519PemKeyVerifiesEdDsaAndEd25519(String alg) throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pem = Files.writeString(dir.resolve("ed-" + alg + ".pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    byte[] jws = signEd25519("{\"alg\":\"" + alg + "\",\"iat\":1796119200}", keys);
    PolicySignature check = new PolicySignature(SignatureKeys.file(pem));
    assertEquals(java.time.Instant.parse("2026-12-01T10:00:00Z"), check.verify(POLICY, jws));
    PolicySignature.Rejected e = assertThrows(PolicySignature.Rejected.class,
        () -> check.verify("users: [x]\n".getBytes(StandardCharsets.UTF_8), jws));
    assertTrue(e.getMessage().startsWith("the signature does not verify"), e.getMessage());
  }

  @Test
  void ed25519VerifierRefusesAnUnknownCriticalParameterItself() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String json = "{\"alg\":\"EdDSA\",\"iat\":1796119200,\"nbf\":1,\"crit\":[\"nbf\"]}";
    JWSObject object = JWSObject.parse(new String(signEd25519(json, keys),
        StandardCharsets.US_ASCII), new Payload(POLICY));
    assertEquals(false, object.verify(new Ed25519Verifier(keys.getPublic(), java.util.Set.of("iat"))));
    String understood = "{\"alg\":\"EdDSA\",\"iat\":1796119200,\"crit\":[\"iat\"]}";
    assertTrue(JWSObject.parse(new String(signEd25519(understood, keys), StandardCharsets.US_ASCII),
        new Payload(POLICY)).verify(new Ed25519Verifier(keys.getPublic(), java.util.Set.of("iat"))));
  }

  @Test
  void aJwksKeysAlgUseAndKeyOpsAreHonoured() throws Exception {
    RSAKey rs512 = new RSAKeyGenerator(2048).keyID("rs512").algorithm(JWSAlgorithm.RS512)
        .generate();
    RSAKey signOnly = new RSAKeyGenerator(2048).keyID("sign-only")
        .keyOperations(java.util.Set.of(com.nimbusds.jose.jwk.KeyOperation.SIGN)).generate();
    RSAKey enc = new RSAKeyGenerator(2048).keyID("enc")
        .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate();
    RSAKey verify = new RSAKeyGenerator(2048).keyID("verify")
        .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
        .keyOperations(java.util.Set.of(com.nimbusds.jose.jwk.KeyOperation.VERIFY)).generate();
    Path set = Files.writeString(dir.resolve("restricted.json"), new JWKSet(List.of(
        rs512.toPublicJWK(), signOnly.toPublicJWK(), enc.toPublicJWK(), verify.toPublicJWK()))
        .toString());
    PolicySignature check = new PolicySignature(SignatureKeys.file(set));

    check.verify(POLICY, sign(header(JWSAlgorithm.RS512, "rs512"), new RSASSASigner(rs512), POLICY));
    check.verify(POLICY, sign(header(JWSAlgorithm.RS256, "verify"), new RSASSASigner(verify),
        POLICY));
    PolicySignature.Rejected wrongAlg = assertThrows(PolicySignature.Rejected.class,
        () -> check.verify(POLICY, sign(header(JWSAlgorithm.RS256, "rs512"),
            new RSASSASigner(rs512), POLICY)));
    assertEquals("no key from " + set + " fits the signature (alg RS256, kid 'rs512'): key"
        + " 'rs512' RSA for RS512 does not verify RS256", wrongAlg.getMessage());
    for (RSAKey notForVerifying : List.of(signOnly, enc)) {
      PolicySignature.Rejected e = assertThrows(PolicySignature.Rejected.class,
          () -> check.verify(POLICY, sign(header(JWSAlgorithm.RS256, notForVerifying.getKeyID()),
              new RSASSASigner(notForVerifying), POLICY)));
      assertEquals("no key from " + set + " fits the signature (alg RS256, kid '"
          + notForVerifying.getKeyID() + "')", e.getMessage());
    }
  }

  @Test
  void aPemWithBadBase64IsAnIoExceptionNamingIt() throws Exception {
    Path pem = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PUBLIC KEY-----\nMIIBA\n"
        + "-----END PUBLIC KEY-----\n");
    IOException e = assertThrows(IOException.class,
        () -> new PolicySignature(SignatureKeys.file(pem)).verify(POLICY,
            sign(header(JWSAlgorithm.RS256, "rsa"), new RSASSASigner(rsa), POLICY)));
    assertTrue(e.getMessage().startsWith("cannot read the policy signing keys from " + pem
        + ": the PEM public key is not valid base64 ("), e.getMessage());
  }

  @Test
  void keysFromAJwksUrlAreFetchedForEachVersionChecked() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
    byte[] set = Files.readAllBytes(jwks);
    server.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      exchange.sendResponseHeaders(200, set.length);
      exchange.getResponseBody().write(set);
      exchange.close();
    });
    server.start();
    try {
      PolicySignature check = new PolicySignature(SignatureKeys.url(java.net.URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json"),
          java.time.Duration.ofSeconds(5)));
      check.verify(POLICY, sign(header(JWSAlgorithm.ES256, "ec1"), new ECDSASigner(ec1), POLICY));
      check.verify(POLICY, sign(header(JWSAlgorithm.RS256, "rsa"), new RSASSASigner(rsa), POLICY));
      assertEquals(2, fetches.get(), "a revoked key stops verifying with the next version");
    } finally {
      server.stop(0);
    }
    PolicySignature remote = new PolicySignature(SignatureKeys.url(
        java.net.URI.create("http://keys.example/jwks.json"), java.time.Duration.ofSeconds(5)));
    IOException e = assertThrows(IOException.class, () -> remote.verify(POLICY,
        sign(header(JWSAlgorithm.RS256, "rsa"), new RSASSASigner(rsa), POLICY)));
    assertTrue(e.getMessage().contains("is plain http to another host: anyone on the path could"
        + " answer it"), e.getMessage());
  }

  @Test
  void aSymmetricKeyIsRefusedNotSkipped() throws Exception {
    Path withOct = Files.writeString(dir.resolve("oct.json"), new JWKSet(List.of(
        rsa.toPublicJWK(), new OctetSequenceKeyGenerator(256).keyID("hmac").generate()))
        .toString(false));
    PolicySignature check = new PolicySignature(SignatureKeys.file(withOct));
    IOException e = assertThrows(IOException.class, () -> check.verify(POLICY,
        sign(header(JWSAlgorithm.RS256, "rsa"), new RSASSASigner(rsa), POLICY)));
    assertEquals("cannot read the policy signing keys from " + withOct + ": key 'hmac' is a oct"
        + " key: only RSA, EC and Ed25519 public keys sign policies (never a symmetric, HMAC"
        + " key)", e.getMessage());
  }

  @Test
  void aPemThatIsNoPublicKeyIsNamed() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n"
        + "-----END CERTIFICATE-----\n");
    IOException e = assertThrows(IOException.class,
        () -> new PolicySignature(SignatureKeys.file(cert)).verify(POLICY,
            sign(header(JWSAlgorithm.RS256, "rsa"), new RSASSASigner(rsa), POLICY)));
    assertTrue(e.getMessage().contains("expected a PEM public key (-----BEGIN PUBLIC KEY-----"),
        e.getMessage());
  }
}
