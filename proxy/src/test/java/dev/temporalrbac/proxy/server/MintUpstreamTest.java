package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.ADMIN;
import static dev.temporalrbac.proxy.server.ProxyFixture.AUTHORIZATION;
import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.READER;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.temporalrbac.proxy.admin.AdminLimits;
import dev.temporalrbac.proxy.admin.AdminServer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import io.grpc.Metadata;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code upstream.credentials.mode: mint} end to end over loopback: the proxy, configured by the
 * loader, in front of a recording upstream, and its admin port serving the key. What arrives
 * upstream is checked against the JWKS fetched from the admin port, as a Temporal frontend would.
 */
@Timeout(30)
class MintUpstreamTest {
  private UpstreamCredentials credentials;
  private ProxyFixture fx;
  private AdminServer admin;
  private JWKSet published;

  @BeforeEach
  void start() throws Exception {
    credentials = new ConfigLoader(Map.of()).load(null, Map.of("policy", "unused.yaml",
        "credentials", "mint", "upstream-token-audience", "temporal")).credentials();
    fx = ProxyFixture.builder().netty().credentials(credentials).start();
    admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        () -> "", fx.holder, () -> true, AdminLimits.DEFAULTS, credentials.publicJwks());
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + admin.port() + "/.well-known/jwks.json"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    published = JWKSet.parse(response.body());
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    fx.close();
  }

  private static byte[] start(String namespace) {
    return ForwardingTest.startRequest(namespace);
  }

  /** Every authorization value the upstream received on call {@code n}. */
  private List<String> authorizationOf(int n) {
    List<String> values = new ArrayList<>();
    Iterable<String> all = fx.upstream.calls().get(n).headers.getAll(AUTHORIZATION);
    if (all != null) {
      all.forEach(values::add);
    }
    return values;
  }

  /** The one token call {@code n} carried upstream, its signature checked against the JWKS. */
  private JWTClaimsSet verifiedClaims(int n) throws Exception {
    List<String> values = authorizationOf(n);
    assertEquals(1, values.size(), () -> "authorization values upstream: " + values.size());
    assertTrue(values.get(0).startsWith("Bearer "));
    SignedJWT jwt = SignedJWT.parse(values.get(0).substring("Bearer ".length()));
    JWK key = published.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertFalse(key.isPrivate(), "the admin port served a private key");
    assertTrue(jwt.verify(new ECDSAVerifier((ECKey) key)), "signature against the served JWKS");
    return jwt.getJWTClaimsSet();
  }

  @Test
  void anAllowedCallCarriesATokenForItsPrincipalAndNeverTheCallersCredential()
      throws Exception {
    assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
    JWTClaimsSet claims = verifiedClaims(0);
    assertEquals("dev@example.com", claims.getSubject());
    assertEquals("temporal-rbac-proxy", claims.getIssuer());
    assertEquals(List.of("temporal"), claims.getAudience());
    assertEquals(List.of("orders:write"), claims.getStringListClaim("permissions"));
    for (String key : fx.upstream.calls().get(0).headers.keys()) {
      if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        String value = fx.upstream.calls().get(0).headers
            .get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        assertFalse(value.contains(DEV), () -> key + " carried the caller's key upstream");
      }
    }
  }

  @Test
  void oneTokenServesEveryCallOfAPrincipal() throws Exception {
    assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
    assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
    assertEquals(Status.Code.OK, fx.unary(ADMIN, START, start("orders")).awaitClose().getCode());
    assertEquals(authorizationOf(0), authorizationOf(1));
    assertNotEquals(authorizationOf(0), authorizationOf(2));
    JWTClaimsSet admin = verifiedClaims(2);
    assertEquals("admin@example.com", admin.getSubject());
    assertEquals(List.of("temporal-system:admin"), admin.getStringListClaim("permissions"));
  }

  @Test
  void aDeniedCallSendsNothingUpstream() {
    ProxyFixture.assertStatus(fx.unary(READER, START, start("orders")).awaitClose(),
        Status.Code.PERMISSION_DENIED);
    assertTrue(fx.upstream.calls().isEmpty(), "a denied call reached the upstream");
  }

  @Test
  void aCallOpenToAnyoneWithoutACallerGoesWithoutAuthorization() {
    byte[] body = GetSystemInfoRequest.getDefaultInstance().toByteArray();
    assertEquals(Status.Code.OK, fx.unary((String) null, ProxyFixture.SYSTEM_INFO, body)
        .awaitClose().getCode());
    assertEquals(List.of(), authorizationOf(0));
  }
}
