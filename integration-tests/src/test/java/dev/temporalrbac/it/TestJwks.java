package dev.temporalrbac.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider for the end-to-end tests: a JWKS served over HTTP on 127.0.0.1 by the JDK's
 * own server, the private keys behind it, and tokens signed with them. The published set can be
 * switched (key rotation) and the endpoint taken down (HTTP 503) while the test runs.
 *
 * <p>Thread-safe: serve's fetcher reads the published set on the server's thread while the test
 * switches it.
 */
final class TestJwks implements AutoCloseable {
  static final String ISSUER = "https://idp.example.test";
  static final String AUDIENCE = "temporal-rbac-proxy";
  private static final String PATH = "/.well-known/jwks.json";

  private final HttpServer server;
  private volatile String published = "{\"keys\":[]}";
  private volatile boolean down;
  private final AtomicInteger served = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private TestJwks(HttpServer server) {
    this.server = server;
  }

  /** Starts the endpoint publishing {@code keys} (their public halves only). */
  static TestJwks serving(JWK... keys) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TestJwks jwks = new TestJwks(server);
    jwks.publish(keys);
    server.createContext(PATH, jwks::answer);
    server.start();
    return jwks;
  }

  /** A fresh RSA 2048 signing key named {@code kid}. */
  static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh P-256 signing key named {@code kid}. */
  static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The URL serve's {@code --jwks} points at. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** Replaces the published set: from now on the endpoint answers exactly these public keys. */
  void publish(JWK... keys) {
    published = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /** Takes the endpoint down (every fetch answered 503) or brings it back. */
  void down(boolean isDown) {
    down = isDown;
  }

  /** Fetches answered with a key set so far. */
  int served() {
    return served.get();
  }

  /** Fetches answered 503 while the endpoint was down. */
  int refused() {
    return refused.get();
  }

  /**
   * A token as an OIDC provider would issue it for this proxy: issuer, audience, ten minutes of
   * validity, {@code kid} in the header; {@code claims} adds groups, permissions and the like.
   */
  static String token(JWK key, String subject, Map<String, Object> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder body = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE)
        .subject(subject).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    claims.forEach(body::claim);
    try {
      JWSAlgorithm algorithm;
      JWSSigner signer;
      if (key instanceof RSAKey rsa) {
        algorithm = JWSAlgorithm.RS256;
        signer = new RSASSASigner(rsa);
      } else {
        algorithm = JWSAlgorithm.ES256;
        signer = new ECDSASigner(key.toECKey());
      }
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), body.build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token with only a {@code permissions} claim of Temporal's default format. */
  static String permissionsToken(JWK key, String subject, String... permissions) {
    return token(key, subject, Map.of("permissions", List.of(permissions)));
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (down) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      byte[] body = published.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      served.incrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
