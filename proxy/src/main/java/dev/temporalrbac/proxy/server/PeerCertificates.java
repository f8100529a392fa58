package dev.temporalrbac.proxy.server;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS client certificate chain a call's connection presented. The TLS layer has already
 * verified it against {@code tls.client_ca} (the handshake fails otherwise), so what is returned
 * here is verified. Stateless; any thread.
 */
final class PeerCertificates {
  private PeerCertificates() {}

  /** The verified chain, leaf first; empty on plaintext or when the client sent no certificate. */
  static List<X509Certificate> of(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return List.of();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // client_auth optional and no certificate sent
    }
    List<X509Certificate> certificates = new ArrayList<>(chain.length);
    for (Certificate certificate : chain) {
      if (!(certificate instanceof X509Certificate x509)) {
        return List.of();
      }
      certificates.add(x509);
    }
    return certificates;
  }
}
