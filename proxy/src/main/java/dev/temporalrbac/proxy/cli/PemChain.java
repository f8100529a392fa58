package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.proxy.config.FileProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a client certificate chain from a PEM file ({@code explain --cert}) with the JDK's X.509
 * {@link CertificateFactory}, leaf first, as a TLS client presents it. Stateless.
 */
final class PemChain {
  private PemChain() {}

  /**
   * The certificates of {@code file}, in file order.
   *
   * @throws IOException when the file cannot be read or holds no X.509 certificate; the message
   *     names the file
   */
  static List<X509Certificate> read(Path file) throws IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read the certificate chain "
          + FileProblem.describe(file, e), e);
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate certificate : certificates) {
      chain.add((X509Certificate) certificate);
    }
    if (chain.isEmpty()) {
      throw new IOException(file + ": holds no certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(chain);
  }
}
