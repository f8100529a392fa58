package dev.temporalrbac.proxy.server;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority minted with BouncyCastle (P-256, SHA256withECDSA) that writes its
 * certificate and the server and client certificates it issues as PEM files (keys as PKCS#8, what
 * Netty reads) into a test's temporary directory.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A certificate file and its private key file. */
  record Issued(Path certificate, Path key) {}

  private final Path dir;
  private final X500Name name;
  private final KeyPair keys;
  private final Path certificate;

  private TestCertificates(Path dir, String commonName) throws Exception {
    this.dir = dir;
    this.name = new X500Name("CN=" + commonName);
    this.keys = keyPair();
    X509Certificate self = sign(name, keys, true, null, new GeneralName[0]);
    this.certificate = write(dir.resolve(fileName(commonName) + "-ca-"
        + SERIAL.getAndIncrement() + ".pem"), self);
  }

  /**
   * A new self-signed CA whose certificate is written to {@code dir}. Two authorities may share a
   * name: they still have different keys, so neither's certificates verify against the other.
   */
  static TestCertificates authority(Path dir, String commonName) throws Exception {
    return new TestCertificates(dir, commonName);
  }

  /** The CA certificate's PEM file (what {@code tls.client_ca} points at). */
  Path certificate() {
    return certificate;
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}. */
  Issued server(String fileName) throws Exception {
    return issue(fileName, "CN=" + fileName, KeyPurposeId.id_kp_serverAuth,
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }

  /** A client certificate for {@code subject} (e.g. {@code CN=worker}) with {@code sans}. */
  Issued client(String fileName, String subject, GeneralName... sans) throws Exception {
    return issue(fileName, subject, KeyPurposeId.id_kp_clientAuth, sans);
  }

  static GeneralName uri(String value) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, value);
  }

  private Issued issue(String fileName, String subject, KeyPurposeId purpose, GeneralName... sans)
      throws Exception {
    KeyPair leafKeys = keyPair();
    X509Certificate leaf = sign(new X500Name(subject), leafKeys, false, purpose, sans);
    Path key = dir.resolve(fileName + ".key");
    try (Writer out = Files.newBufferedWriter(key, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(leafKeys.getPrivate(), null));
    }
    return new Issued(write(dir.resolve(fileName + ".pem"), leaf), key);
  }

  private X509Certificate sign(X500Name subject, KeyPair subjectKeys, boolean ca,
      KeyPurposeId purpose, GeneralName[] sans) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
        ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    if (purpose != null) {
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (sans.length > 0) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static Path write(Path file, X509Certificate certificate) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    }
    return file;
  }

  private static String fileName(String commonName) {
    return commonName.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(java.util.Locale.ROOT);
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
