package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.ADMIN;
import static dev.temporalrbac.proxy.server.ProxyFixture.READER;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static dev.temporalrbac.proxy.server.ProxyFixture.assertStatus;
import static dev.temporalrbac.proxy.server.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.identity.mtls.CertificateIdentities;
import dev.temporalrbac.policy.identity.mtls.MtlsSettings;
import dev.temporalrbac.proxy.config.ClientAuth;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.IdentitySettings;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS callers through a real {@link ProxyServer} with {@code tls.client_auth} and
 * {@code tls.client_ca}: a client certificate whose SPIFFE id is a policy service account is
 * decided by that account's rights; the handshake refuses a missing certificate (require) and one
 * that does not verify against the client CA; without a certificate (optional) a call needs a bearer credential; a bearer
 * API key over an mTLS connection identifies the caller. Certificates are minted by BouncyCastle.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class ClientCertificateTest {
  private static final String WORKER = "spiffe://test.example/orders-worker";
  private static final String POLICY = ProxyFixture.policyYaml() + """
      service_accounts:
        - id: %s
          role: read_only
          namespaces: {orders: write}
      """.formatted(WORKER);
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private TestCertificates ca;
  private TestCertificates.Issued serverCert;
  private TestCertificates.Issued workerCert;
  private TestCertificates.Issued strangerCert;
  private RecordingUpstream upstream;
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @BeforeEach
  void setUp() throws Exception {
    ca = TestCertificates.authority(dir, "Client CA");
    serverCert = ca.server("proxy");
    workerCert = ca.client("worker", "CN=orders-worker", uri(WORKER));
    TestCertificates otherCa = TestCertificates.authority(dir, "Other CA");
    strangerCert = otherCa.client("stranger", "CN=orders-worker", uri(WORKER));
    upstream = RecordingUpstream.netty();
    cleanup.push(upstream);
    upstream.on(START, RecordingUpstream.reply(StartWorkflowExecutionResponse.newBuilder()
        .setRunId("run-1").build().toByteArray()));
  }

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  @Test
  void aCertificateNamingAServiceAccountIsDecidedByItsRights() throws Exception {
    ProxyServer proxy = proxy(ClientAuth.REQUIRE);
    ManagedChannel worker = channel(proxy, workerCert);

    assertEquals("run-1", start(worker, null, "orders").getRunId());
    Status elsewhere = failure(worker, null, "billing");

    assertStatus(elsewhere, Status.Code.PERMISSION_DENIED, WORKER);
    assertEquals(1, upstream.calls().size(), "only the allowed call is forwarded");
  }

  @Test
  void requireRefusesAConnectionWithoutACertificate() throws Exception {
    ProxyServer proxy = proxy(ClientAuth.REQUIRE);

    Status status = failure(channel(proxy, null), ADMIN, "orders");

    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status::toString);
    assertEquals(List.of(), upstream.calls());
  }

  @Test
  void optionalWithoutCertificateNeedsABearerCredential() throws Exception {
    ProxyServer proxy = proxy(ClientAuth.OPTIONAL);
    ManagedChannel anonymous = channel(proxy, null);

    Status status = failure(anonymous, null, "orders");

    assertStatus(status, Status.Code.UNAUTHENTICATED, "TLS client certificate");
    assertEquals("run-1", start(anonymous, ProxyFixture.DEV, "orders").getRunId());
    assertEquals(1, upstream.calls().size());
  }

  /**
   * An impostor CA with the real CA's name (so the client presents its certificate when the
   * server asks for that issuer) but its own key: the handshake fails in both modes.
   */
  @Test
  void aCertificateFromAnImpostorCaFailsTheHandshake() throws Exception {
    TestCertificates impostor = TestCertificates.authority(dir, "Client CA");
    TestCertificates.Issued forged = impostor.client("forged", "CN=orders-worker", uri(WORKER));
    for (ClientAuth mode : List.of(ClientAuth.OPTIONAL, ClientAuth.REQUIRE)) {
      ProxyServer proxy = proxy(mode);

      Status status = failure(channel(proxy, forged), null, "orders");

      assertEquals(Status.Code.UNAVAILABLE, status.getCode(), mode + ": " + status);
    }
    assertEquals(List.of(), upstream.calls());
  }

  /**
   * A certificate from an unrelated CA: the server asks for certificates of its client CA, so the
   * client sends none; require then fails the handshake, and optional leaves a connection without
   * a certificate, whose call has no credentials.
   */
  @Test
  void aCertificateFromAnUnrelatedCaNeverIdentifies() throws Exception {
    Status required = failure(channel(proxy(ClientAuth.REQUIRE), strangerCert), null, "orders");
    assertEquals(Status.Code.UNAVAILABLE, required.getCode(), required::toString);

    Status optional = failure(channel(proxy(ClientAuth.OPTIONAL), strangerCert), null, "orders");
    assertStatus(optional, Status.Code.UNAUTHENTICATED, "no credentials");
    assertEquals(List.of(), upstream.calls());
  }

  @Test
  void aBearerApiKeyOverAnMtlsConnectionIdentifiesTheCaller() throws Exception {
    ProxyServer proxy = proxy(ClientAuth.REQUIRE);
    ManagedChannel worker = channel(proxy, workerCert);

    // the admin key may start on billing, which the certificate's account may not
    assertEquals("run-1", start(worker, ADMIN, "billing").getRunId());
    // the reader key may not write on orders, which the certificate's account may
    Status status = failure(worker, READER, "orders");

    assertStatus(status, Status.Code.PERMISSION_DENIED, "reader@example.com");
    assertEquals(1, upstream.calls().size());
  }

  // ---------------------------------------------------------------- helpers

  private ProxyServer proxy(ClientAuth clientAuth) throws Exception {
    ProxyConfig base = new ConfigLoader(Map.of()).load(null, Map.of(
        "listen", "127.0.0.1:0", "policy", "unused.yaml", "admin", "127.0.0.1:0",
        "upstream", upstream.target(), "tls-cert", serverCert.certificate().toString(),
        "tls-key", serverCert.key().toString()));
    ProxyConfig config = new ProxyConfig(base.listen(), base.upstream(),
        base.upstreamAuthority(), base.upstreamTls(),
        new ProxyConfig.TlsFiles(ca.certificate(), serverCert.certificate(), serverCert.key(),
            null),
        base.policy(), base.shadowPolicy(), base.reloadInterval(), base.admin(), base.mode(), base.limits(),
        base.upstreamHealth(), base.policySettle(), base.credentials(), base.audit(),
        base.auditFile(), base.auditFormat(), base.shutdownGrace(),
        new IdentitySettings(null, MtlsSettings.defaults(), clientAuth));
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC(),
        new Identities(null, new CertificateIdentities(MtlsSettings.defaults())));
    ProxyServer proxy = ProxyServer.start(config, authorizer,
        new PolicyHolder(ProxyFixture.parse(POLICY)), CallObserver.NONE);
    cleanup.push(() -> proxy.shutdown(Duration.ZERO));
    return proxy;
  }

  /** A TLS channel trusting the CA, presenting {@code client} when not null. */
  private ManagedChannel channel(ProxyServer proxy, TestCertificates.Issued client)
      throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(ca.certificate().toFile());
    if (client != null) {
      ssl.keyManager(client.certificate().toFile(), client.key().toFile());
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", proxy.port())
        .sslContext(ssl.build()).build();
    cleanup.push(() -> {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    });
    return channel;
  }

  private static StartWorkflowExecutionResponse start(ManagedChannel channel, String secret,
      String namespace) {
    return ProxyFixture.startWorkflow(channel, secret, namespace, "w", DEADLINE);
  }

  private static Status failure(ManagedChannel channel, String secret, String namespace) {
    return assertThrows(StatusRuntimeException.class, () -> start(channel, secret, namespace))
        .getStatus();
  }
}
