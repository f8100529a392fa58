package dev.temporalrbac.policy.identity.mtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
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
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority minted with BouncyCastle (P-256, SHA256withECDSA) that issues
 * client certificates with chosen subjects and subject alternative names. Nothing here is
 * verified by the code under test (the TLS layer does that); the certificates only need to be
 * real X.509 as the JDK parses it.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(String commonName) {
    this.name = new X500Name("CN=" + commonName);
    this.keys = keyPair();
    this.certificate = sign(name, keys, name, keys, true, new GeneralName[0]);
  }

  /** A new self-signed CA. */
  static TestCertificates authority(String commonName) {
    return new TestCertificates(commonName);
  }

  X509Certificate certificate() {
    return certificate;
  }

  /**
   * The chain {@code leaf, CA} of a client certificate for {@code subject} (an RFC 4514 DN such as
   * {@code "CN=worker,O=Example"}; may be empty) with {@code sans}.
   */
  List<X509Certificate> chain(String subject, GeneralName... sans) {
    return chain(new X500Name(subject), sans);
  }

  /** As {@link #chain(String, GeneralName...)}, for a subject built value by value. */
  List<X509Certificate> chain(X500Name subject, GeneralName... sans) {
    X509Certificate leaf = sign(subject, keyPair(), name, keys, false, sans);
    return List.of(leaf, certificate);
  }

  static GeneralName uri(String value) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, value);
  }

  static GeneralName dns(String value) {
    return new GeneralName(GeneralName.dNSName, value);
  }

  static GeneralName ip(String value) {
    return new GeneralName(GeneralName.iPAddress, value);
  }

  static GeneralName email(String value) {
    return new GeneralName(GeneralName.rfc822Name, value);
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer,
      KeyPair issuerKeys, boolean ca, GeneralName[] sans) {
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
          ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      if (sans.length > 0) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException
        | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException(e);
    }
  }
}
