package dev.temporalrbac.proxy.explain;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --cert}'s chain check against {@code tls.client_ca}, with BouncyCastle-minted
 * chains at a fixed instant: chains the handshake takes (direct, through an intermediate, with or
 * without the root, a trusted self-signed leaf) and chains it refuses (another CA, an impostor CA
 * of the same name, an expired or not yet valid leaf, a leaf whose extended key usage or key
 * usage does not allow TLS client authentication).
 */
class ClientChainCheckTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private static final Issuer ROOT = Issuer.root("CN=Client Root CA");
  private static final Issuer OTHER = Issuer.root("CN=Other CA");
  private static final ClientChainCheck CHECK =
      new ClientChainCheck("tls.client_ca ca.pem", List.of(ROOT.certificate));

  @TempDir Path dir;

  @Test
  void aLeafOfTheClientCaVerifiesWithOrWithoutTheRoot() {
    X509Certificate leaf = ROOT.leaf("CN=worker", NOW.minusSeconds(60), NOW.plusSeconds(60),
        KeyPurposeId.id_kp_clientAuth);
    assertNull(CHECK.problem(List.of(leaf), NOW));
    assertNull(CHECK.problem(List.of(leaf, ROOT.certificate), NOW));
  }

  @Test
  void aLeafWithoutExtendedKeyUsageVerifies() {
    X509Certificate leaf = ROOT.leaf("CN=worker", NOW.minusSeconds(60), NOW.plusSeconds(60));
    assertNull(CHECK.problem(List.of(leaf, ROOT.certificate), NOW));
  }

  @Test
  void aLeafThroughAnIntermediateVerifies() {
    Issuer intermediate = ROOT.intermediate("CN=Client Issuing CA");
    X509Certificate leaf = intermediate.leaf("CN=worker", NOW.minusSeconds(60),
        NOW.plusSeconds(60), KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
    assertNull(CHECK.problem(List.of(leaf, intermediate.certificate), NOW));
    assertNull(CHECK.problem(List.of(leaf, intermediate.certificate, ROOT.certificate), NOW));
  }

  @Test
  void aSelfSignedLeafListedAsTheClientCaVerifies() {
    Issuer self = new Issuer(new X500Name("CN=self"), keyPair());
    X509Certificate leaf = self.sign(self.name, self.keys, NOW.minusSeconds(60),
        NOW.plusSeconds(60), false, KeyUsage.digitalSignature);
    ClientChainCheck itself = new ClientChainCheck("tls.client_ca self.pem", List.of(leaf));
    assertNull(itself.problem(List.of(leaf), NOW));
  }

  @Test
  void aChainFromAnotherCaIsRefused() {
    X509Certificate leaf = OTHER.leaf("CN=stranger", NOW.minusSeconds(60), NOW.plusSeconds(60));
    String problem = CHECK.problem(List.of(leaf, OTHER.certificate), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("none of its certificates issued the chain"), problem);
    assertTrue(problem.contains("issued by CN=Other CA"), problem);
  }

  @Test
  void anImpostorCaOfTheSameNameIsRefused() {
    Issuer impostor = Issuer.root("CN=Client Root CA");
    X509Certificate leaf = impostor.leaf("CN=worker", NOW.minusSeconds(60), NOW.plusSeconds(60));
    String problem = CHECK.problem(List.of(leaf), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("the leaf (CN=worker) has a signature that does not verify"),
        problem);
    String withRoot = CHECK.problem(List.of(leaf, impostor.certificate), NOW);
    assertRefused(withRoot);
    assertTrue(withRoot.contains(
        "chain certificate 2 (CN=Client Root CA) has a signature that does not verify"), withRoot);
  }

  @Test
  void anExpiredLeafIsRefused() {
    Instant end = NOW.minus(Duration.ofDays(1));
    X509Certificate leaf = ROOT.leaf("CN=worker", NOW.minus(Duration.ofDays(30)), end,
        KeyPurposeId.id_kp_clientAuth);
    String problem = CHECK.problem(List.of(leaf, ROOT.certificate), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("the leaf (CN=worker) expired at " + end), problem);
  }

  @Test
  void aLeafNotYetValidIsRefused() {
    Instant start = NOW.plus(Duration.ofDays(1));
    X509Certificate leaf = ROOT.leaf("CN=worker", start, NOW.plus(Duration.ofDays(30)));
    String problem = CHECK.problem(List.of(leaf), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("is not valid before " + start), problem);
  }

  @Test
  void aLeafWhoseExtendedKeyUsageLacksClientAuthIsRefused() {
    X509Certificate leaf = ROOT.leaf("CN=server", NOW.minusSeconds(60), NOW.plusSeconds(60),
        KeyPurposeId.id_kp_serverAuth);
    String problem = CHECK.problem(List.of(leaf, ROOT.certificate), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("extended key usage without clientAuth"), problem);
    assertTrue(problem.contains("1.3.6.1.5.5.7.3.1"), problem);
  }

  @Test
  void aLeafWhoseKeyUsageForbidsSignaturesIsRefused() {
    X509Certificate leaf = ROOT.sign(new X500Name("CN=encipher-only"), keyPair(),
        NOW.minusSeconds(60), NOW.plusSeconds(60), false, KeyUsage.keyEncipherment);
    String problem = CHECK.problem(List.of(leaf), NOW);
    assertRefused(problem);
    assertTrue(problem.contains("key usage without digitalSignature"), problem);
  }

  @Test
  void theCaFileIsReadAsPem() throws Exception {
    Path ca = dir.resolve("ca.pem");
    try (Writer out = Files.newBufferedWriter(ca, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(OTHER.certificate);
      pem.writeObject(ROOT.certificate);
    }
    ClientChainCheck check = ClientChainCheck.load(ca);
    X509Certificate leaf = ROOT.leaf("CN=worker", NOW.minusSeconds(60), NOW.plusSeconds(60));
    assertNull(check.problem(List.of(leaf), NOW), "the second certificate of the file counts");

    X509Certificate stranger = Issuer.root("CN=Third CA")
        .leaf("CN=x", NOW.minusSeconds(60), NOW.plusSeconds(60));
    assertTrue(check.problem(List.of(stranger), NOW)
        .startsWith("the client certificate does not verify against tls.client_ca " + ca));
  }

  @Test
  void aCaFileWithoutCertificatesIsAnError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificate here\n");
    IOException e = assertThrows(IOException.class, () -> ClientChainCheck.load(empty));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    assertThrows(IOException.class, () -> ClientChainCheck.load(dir.resolve("missing.pem")));
  }

  private static void assertRefused(String problem) {
    assertTrue(problem != null && problem.startsWith(
        "the client certificate does not verify against tls.client_ca ca.pem: "), problem);
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CA minted with BouncyCastle (P-256, SHA256withECDSA), valid a year around {@link #NOW}. */
  private static final class Issuer {
    final X500Name name;
    final KeyPair keys;
    X509Certificate certificate;

    private Issuer(X500Name name, KeyPair keys) {
      this.name = name;
      this.keys = keys;
    }

    static Issuer root(String name) {
      Issuer root = new Issuer(new X500Name(name), keyPair());
      root.certificate = root.sign(root.name, root.keys, NOW.minus(Duration.ofDays(365)),
          NOW.plus(Duration.ofDays(365)), true, KeyUsage.keyCertSign | KeyUsage.cRLSign);
      return root;
    }

    Issuer intermediate(String name) {
      Issuer issued = new Issuer(new X500Name(name), keyPair());
      issued.certificate = sign(issued.name, issued.keys, NOW.minus(Duration.ofDays(30)),
          NOW.plus(Duration.ofDays(30)), true, KeyUsage.keyCertSign);
      return issued;
    }

    X509Certificate leaf(String subject, Instant from, Instant to, KeyPurposeId... purposes) {
      return sign(new X500Name(subject), keyPair(), from, to, false, KeyUsage.digitalSignature,
          purposes);
    }

    X509Certificate sign(X500Name subject, KeyPair subjectKeys, Instant from, Instant to,
        boolean ca, int keyUsage, KeyPurposeId... purposes) {
      try {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
            BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(from), Date.from(to),
            subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (purposes.length > 0) {
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(purposes));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
            new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
