package dev.temporalrbac.it;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority minted at test time with BouncyCastle (P-256 keys, SHA256withECDSA),
 * and the server and client certificates it issues: PEM files for serve's {@code tls.*} settings,
 * grpc-netty SSL contexts for the SDK. Not thread-safe; build everything before the test calls.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair caKeys;
  private final X500Name name;
  final X509Certificate ca;

  private TestPki(KeyPair caKeys, X500Name name, X509Certificate ca) {
    this.caKeys = caKeys;
    this.name = name;
    this.ca = ca;
  }

  /** One issued certificate and its private key. */
  record Issued(KeyPair keys, X509Certificate certificate) {
    /** Writes {@code <name>.crt} and {@code <name>.key} (PKCS#8) into {@code dir}. */
    Path[] write(Path dir, String name) {
      Path cert = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      writePem(cert, certificate);
      writePem(key, pkcs8(keys));
      return new Path[] {cert, key};
    }
  }

  /** A self-signed CA named {@code CN=<name>}. */
  static TestPki authority(String name) {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509v3CertificateBuilder builder = builder(subject, subject, keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(keys, subject, sign(builder, keys));
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  Issued server() {
    return issue("CN=localhost", KeyPurposeId.id_kp_serverAuth,
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.dNSName, "localhost"));
  }

  /**
   * A client certificate with subject {@code subject} (an X.500 name such as
   * {@code "CN=w1, O=Acme"}) and, when not null, {@code uri} as its one URI SAN.
   */
  Issued client(String subject, String uri) {
    List<GeneralName> names = new ArrayList<>();
    if (uri != null) {
      names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    }
    return issue(subject, KeyPurposeId.id_kp_clientAuth, names.toArray(GeneralName[]::new));
  }

  /** Writes this CA's certificate as {@code <name>.crt} into {@code dir}. */
  Path writeCa(Path dir, String name) {
    Path file = dir.resolve(name + ".crt");
    writePem(file, ca);
    return file;
  }

  /** TLS for the SDK: trusts this CA and presents {@code client} (null: no certificate). */
  SslContext clientContext(Issued client) {
    try {
      var builder = GrpcSslContexts.forClient().trustManager(ca);
      if (client != null) {
        builder.keyManager(client.keys().getPrivate(), client.certificate(), ca);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String subject, KeyPurposeId purpose, GeneralName... sans) {
    KeyPair keys = keyPair();
    try {
      X509v3CertificateBuilder builder = builder(name, new X500Name(subject), keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (sans.length > 0) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
      }
      return new Issued(keys, sign(builder, caKeys));
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  private static Object pkcs8(KeyPair keys) {
    try {
      return new JcaPKCS8Generator(keys.getPrivate(), null).generate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writePem(Path file, Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.writeString(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
