package dev.temporalrbac.proxy.explain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a client certificate chain against {@code tls.client_ca} as the TLS handshake of
 * {@code serve} does, so that {@code explain --cert} does not decide on a chain the wire would
 * have refused before any call. PKIX ({@link CertPathValidator}) with the CA file's certificates
 * as trust anchors and revocation off, as the JDK trust manager behind the handshake; then the
 * leaf must be usable for TLS client authentication: an extended key usage extension, when
 * present, lists {@code clientAuth} (or {@code anyExtendedKeyUsage}), and a key usage extension,
 * when present, allows digital signatures.
 *
 * <p>As on the wire, a chain may end with a certificate of the CA file or just before it, and a
 * leaf that is itself in the CA file is trusted as it is. Immutable and thread-safe.
 */
public final class ClientChainCheck {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
  private static final int DIGITAL_SIGNATURE = 0;

  private final String source;
  private final List<X509Certificate> authorities;
  private final Set<TrustAnchor> anchors;

  /**
   * @param source where the authorities come from, for messages (e.g. the CA file's path)
   * @param authorities the trusted client CAs; at least one
   */
  public ClientChainCheck(String source, List<X509Certificate> authorities) {
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException(source + ": holds no CA certificate");
    }
    this.source = source;
    this.authorities = List.copyOf(authorities);
    Set<TrustAnchor> trust = new LinkedHashSet<>();
    for (X509Certificate authority : this.authorities) {
      trust.add(new TrustAnchor(authority, null));
    }
    this.anchors = Set.copyOf(trust);
  }

  /**
   * The check of {@code tls.client_ca}'s PEM file, as {@code serve} reads it.
   *
   * @throws IOException when the file cannot be read or holds no X.509 certificate; the message
   *     names the file
   */
  public static ClientChainCheck load(Path caFile) throws IOException {
    List<X509Certificate> authorities = new ArrayList<>();
    try (InputStream in = Files.newInputStream(caFile)) {
      for (Certificate certificate
          : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        authorities.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw new IOException("tls.client_ca " + caFile + ": not PEM certificates: "
          + e.getMessage(), e);
    }
    if (authorities.isEmpty()) {
      throw new IOException("tls.client_ca " + caFile + ": holds no certificate (expected"
          + " -----BEGIN CERTIFICATE-----)");
    }
    return new ClientChainCheck("tls.client_ca " + caFile, authorities);
  }

  /**
   * Null when {@code chain} (leaf first, as a client presents it) would pass the handshake at
   * {@code at}; otherwise a sentence saying that it does not verify against the client CA and
   * why, naming the certificate at fault by its subject.
   */
  public String problem(List<X509Certificate> chain, Instant at) {
    if (chain.isEmpty()) {
      return "the client certificate chain is empty";
    }
    String why = pathProblem(chain, at);
    if (why == null) {
      why = clientUseProblem(chain.get(0));
    }
    return why == null ? null : "the client certificate does not verify against " + source
        + ": " + why;
  }

  private String pathProblem(List<X509Certificate> chain, Instant at) {
    if (authorities.contains(chain.get(0))) {
      return null;
    }
    List<X509Certificate> path = new ArrayList<>(chain.size());
    path.add(chain.get(0));
    for (X509Certificate certificate : chain.subList(1, chain.size())) {
      if (authorities.contains(certificate)) {
        break; // the anchor itself is not part of the path PKIX validates
      }
      path.add(certificate);
    }
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return null;
    } catch (CertPathValidatorException e) {
      return describe(e, path);
    } catch (InvalidAlgorithmParameterException | CertificateException e) {
      return "the chain cannot be checked: " + e.getMessage();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no PKIX validator", e);
    }
  }

  private static String describe(CertPathValidatorException e, List<X509Certificate> path) {
    if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
      X509Certificate last = path.get(path.size() - 1);
      return "none of its certificates issued the chain, which ends at "
          + last.getSubjectX500Principal().getName() + " issued by "
          + last.getIssuerX500Principal().getName();
    }
    int index = e.getIndex();
    if (index < 0 || index >= path.size()) {
      return "the chain does not validate: " + e.getMessage();
    }
    X509Certificate at = path.get(index);
    String which = (index == 0 ? "the leaf (" : "chain certificate " + (index + 1) + " (")
        + at.getSubjectX500Principal().getName() + ")";
    if (e.getReason() == BasicReason.EXPIRED) {
      return which + " expired at " + at.getNotAfter().toInstant();
    }
    if (e.getReason() == BasicReason.NOT_YET_VALID) {
      return which + " is not valid before " + at.getNotBefore().toInstant();
    }
    if (e.getReason() == BasicReason.INVALID_SIGNATURE) {
      return which + " has a signature that does not verify";
    }
    return which + " does not validate: " + e.getMessage();
  }

  private static String clientUseProblem(X509Certificate leaf) {
    String subject = leaf.getSubjectX500Principal().getName();
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH)
          && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
        return "the leaf (" + subject + ") has an extended key usage without clientAuth ("
            + String.join(", ", usages) + "), so it cannot authenticate a TLS client";
      }
    } catch (CertificateParsingException e) {
      return "the leaf (" + subject + ") has an unreadable extended key usage";
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      return "the leaf (" + subject + ") has a key usage without digitalSignature, so it cannot"
          + " authenticate a TLS client";
    }
    return null;
  }
}
