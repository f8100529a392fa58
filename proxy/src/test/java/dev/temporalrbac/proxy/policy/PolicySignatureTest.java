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

  @TempDir
  static Path dir;
  private static Path jwks;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
    ec1 = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    ec2 = new ECKeyGenerator(Curve.P_256).keyID("ec2").generate();
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
    return new JWSHeader.Builder(alg).keyID(kid).build();
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
        Arguments.of("no signature", null, "no signature"));
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

  @Test
  void ed25519PemKeyVerifiesEdDsa() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pem = Files.writeString(dir.resolve("ed.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    String header = Base64URL.encode("{\"alg\":\"EdDSA\"}").toString();
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update((header + "." + Base64URL.encode(POLICY)).getBytes(StandardCharsets.US_ASCII));
    byte[] jws = (header + ".." + Base64URL.encode(signer.sign()))
        .getBytes(StandardCharsets.US_ASCII);
    PolicySignature check = new PolicySignature(SignatureKeys.file(pem));
    check.verify(POLICY, jws);
    PolicySignature.Rejected e = assertThrows(PolicySignature.Rejected.class,
        () -> check.verify("users: [x]\n".getBytes(StandardCharsets.UTF_8), jws));
    assertTrue(e.getMessage().startsWith("the signature does not verify"), e.getMessage());
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
    assertTrue(e.getMessage().contains("is plain http to another host"), e.getMessage());
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
