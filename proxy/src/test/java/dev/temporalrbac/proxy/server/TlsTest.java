package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both sides of {@link ProxyServer}, with certificates generated at test time by the
 * {@code openssl} command line into a temporary directory:
 *
 * <ul>
 *   <li>downstream: the proxy serves {@code tls.cert}/{@code tls.key}; TLS clients that trust the
 *       CA get through, plaintext clients and clients trusting another CA do not;
 *   <li>upstream: the proxy dials an mTLS upstream (client auth required) whose certificate names
 *       only {@code upstream.test}, so {@code upstream.tls.server_name} is what makes the
 *       hostname check pass; a wrong CA, a missing server-name override or a missing client
 *       certificate each fail the call with UNAVAILABLE before anything reaches the upstream.
 * </ul>
 */
class TlsTest {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  /** Generated files. */
  private Path ca;
  private Path otherCa;
  private Path proxyCert;
  private Path proxyKey;
  private Path upstreamCert;
  private Path upstreamKey;
  private Path clientCert;
  private Path clientKey;

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
  /** Requests the upstream handler received, and the client certificate subject it saw. */
  private final List<StartWorkflowExecutionRequest> arrived = new CopyOnWriteArrayList<>();
  private final List<String> peerSubjects = new CopyOnWriteArrayList<>();

  @BeforeEach
  void generateCertificates() throws Exception {
    requireOpenssl();
    Files.writeString(dir.resolve("req.cnf"),
        "[req]\ndistinguished_name = dn\n[dn]\n", StandardCharsets.UTF_8);
    ca = ca("ca", "TLS Test CA");
    otherCa = ca("other-ca", "Unrelated CA");
    proxyKey = key("proxy");
    proxyCert = leaf("proxy", "ca", "proxy.test", "serverAuth",
        "DNS:localhost,IP:127.0.0.1");
    upstreamKey = key("upstream");
    upstreamCert = leaf("upstream", "ca", "upstream.test", "serverAuth", "DNS:upstream.test");
    clientKey = key("client");
    clientCert = leaf("client", "ca", "proxy-client", "clientAuth", null);
  }

  @AfterEach
  void stop() throws Exception {
    Exception first = null;
    while (!cleanup.isEmpty()) {
      try {
        cleanup.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  // ---------------------------------------------------------------- downstream TLS

  @Test
  @Timeout(60)
  void downstreamTlsServesTlsClientsAndRejectsPlaintext() throws Exception {
    Server upstream = upstream(null);
    ProxyServer proxy = proxy(config(Map.of(
        "upstream", target(upstream),
        "tls-cert", proxyCert.toString(),
        "tls-key", proxyKey.toString())));

    // By name (SAN DNS:localhost) and by address (SAN IP:127.0.0.1).
    ManagedChannel byName = channel(NettyChannelBuilder.forAddress("localhost", proxy.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build()));
    StartWorkflowExecutionResponse response = start(byName, DEV, "w-by-name");
    assertEquals("run-w-by-name", response.getRunId());
    ManagedChannel byAddress = channel(NettyChannelBuilder.forAddress("127.0.0.1", proxy.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build()));
    assertEquals("run-w-by-address", start(byAddress, DEV, "w-by-address").getRunId());
    assertEquals(List.of("w-by-name", "w-by-address"), workflowIds());

    // Plaintext to the TLS port: the handshake never happens.
    ManagedChannel plaintext = channel(NettyChannelBuilder.forAddress("127.0.0.1", proxy.port())
        .usePlaintext());
    assertEquals(Status.Code.UNAVAILABLE, failure(() -> start(plaintext, DEV, "w-plain")));

    // TLS, but trusting another CA: the proxy's certificate does not verify.
    ManagedChannel untrusting = channel(NettyChannelBuilder.forAddress("localhost", proxy.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(otherCa.toFile()).build()));
    assertEquals(Status.Code.UNAVAILABLE, failure(() -> start(untrusting, DEV, "w-untrusted")));

    // Neither failed call reached the upstream.
    assertEquals(List.of("w-by-name", "w-by-address"), workflowIds());
  }

  // ---------------------------------------------------------------- upstream TLS

  @Test
  @Timeout(60)
  void upstreamMtlsWithServerNameOverrideAndClientCertificate() throws Exception {
    Server upstream = upstream(mtlsServerContext());
    ProxyServer proxy = proxy(config(upstreamTls(upstream, ca, true, true)));
    ManagedChannel client = plaintextClient(proxy);

    StartWorkflowExecutionResponse response = start(client, DEV, "w-mtls");

    assertEquals("run-w-mtls", response.getRunId());
    assertEquals(List.of("w-mtls"), workflowIds());
    assertEquals(1, peerSubjects.size(), "upstream saw " + peerSubjects);
    assertTrue(peerSubjects.get(0).contains("CN=proxy-client"),
        "the upstream should see the proxy's client certificate, saw " + peerSubjects);
    // readiness is what the upstream monitor's last tick saw (ticks every probe interval)
    for (int i = 0; i < 200 && !proxy.upstreamReady(); i++) {
      Thread.sleep(50);
    }
    assertTrue(proxy.upstreamReady(), "the upstream should be ready after a call");
  }

  @Test
  @Timeout(60)
  void upstreamWithWrongCaFailsUnavailableAndNothingArrives() throws Exception {
    Server upstream = upstream(mtlsServerContext());
    ProxyConfig config = config(upstreamTls(upstream, otherCa, true, true));
    ProxyServer proxy = proxy(config);
    ManagedChannel client = plaintextClient(proxy);

    assertEquals(Status.Code.UNAVAILABLE, failure(() -> start(client, DEV, "w-wrong-ca")));

    assertEquals(List.of(), workflowIds(), "nothing may reach the upstream handler");
    assertFalse(proxy.upstreamReady());
    assertUpstreamHandshakeFails(config, "certificate path validation",
        t -> t instanceof CertPathBuilderException);
  }

  /** The upstream certificate names only upstream.test: without the override the check fails. */
  @Test
  @Timeout(60)
  void upstreamWithoutServerNameOverrideFailsHostnameVerification() throws Exception {
    Server upstream = upstream(mtlsServerContext());
    ProxyConfig config = config(upstreamTls(upstream, ca, false, true));
    ProxyServer proxy = proxy(config);
    ManagedChannel client = plaintextClient(proxy);

    assertEquals(Status.Code.UNAVAILABLE, failure(() -> start(client, DEV, "w-no-sni")));

    assertEquals(List.of(), workflowIds(), "nothing may reach the upstream handler");
    assertUpstreamHandshakeFails(config, "a hostname (subject alternative name) mismatch",
        t -> t instanceof CertificateException && String.valueOf(t.getMessage())
            .toLowerCase(Locale.ROOT).contains("subject alternative name"));
  }

  /** The upstream requires a client certificate: without upstream-cert/key it refuses the proxy. */
  @Test
  @Timeout(60)
  void upstreamRequiringClientAuthRejectsAProxyWithoutCertificate() throws Exception {
    Server upstream = upstream(mtlsServerContext());
    ProxyConfig config = config(upstreamTls(upstream, ca, true, false));
    ProxyServer proxy = proxy(config);
    ManagedChannel client = plaintextClient(proxy);

    assertEquals(Status.Code.UNAVAILABLE, failure(() -> start(client, DEV, "w-no-cert")));

    assertEquals(List.of(), workflowIds(), "nothing may reach the upstream handler");
    assertUpstreamHandshakeFails(config, "the upstream's certificate_required alert",
        t -> String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
            .contains("certificate_required"));
  }

  // ---------------------------------------------------------------- helpers: servers, calls

  private SslContext mtlsServerContext() throws IOException {
    return GrpcSslContexts.forServer(upstreamCert.toFile(), upstreamKey.toFile())
        .trustManager(ca.toFile())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
  }

  private Map<String, String> upstreamTls(Server upstream, Path trust, boolean serverName,
      boolean clientCertificate) {
    Map<String, String> flags = new HashMap<>();
    flags.put("upstream", target(upstream));
    flags.put("upstream-tls", "true");
    flags.put("upstream-ca", trust.toString());
    if (clientCertificate) {
      flags.put("upstream-cert", clientCert.toString());
      flags.put("upstream-key", clientKey.toString());
    }
    if (serverName) {
      flags.put("upstream-server-name", "upstream.test");
    }
    return flags;
  }

  /** A WorkflowService upstream on 127.0.0.1; TLS when {@code ssl} is not null. */
  private Server upstream(SslContext ssl) throws IOException {
    WorkflowServiceGrpc.WorkflowServiceImplBase service =
        new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void startWorkflowExecution(StartWorkflowExecutionRequest request,
              StreamObserver<StartWorkflowExecutionResponse> response) {
            arrived.add(request);
            response.onNext(StartWorkflowExecutionResponse.newBuilder()
                .setRunId("run-" + request.getWorkflowId()).build());
            response.onCompleted();
          }
        };
    ServerInterceptor peer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session != null) {
          try {
            Certificate[] chain = session.getPeerCertificates();
            peerSubjects.add(((X509Certificate) chain[0]).getSubjectX500Principal().getName());
          } catch (SSLPeerUnverifiedException e) {
            peerSubjects.add("(unverified)");
          }
        }
        return next.startCall(call, headers);
      }
    };
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, peer));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    Server server = builder.build().start();
    cleanup.push(() -> {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    });
    return server;
  }

  private static String target(Server server) {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** A proxy configuration listening on 127.0.0.1:0, with {@code extra} flags added. */
  private static ProxyConfig config(Map<String, String> extra) throws Exception {
    Map<String, String> flags = new HashMap<>(extra);
    flags.put("listen", "127.0.0.1:0");
    flags.put("policy", "unused.yaml");
    flags.put("admin", "127.0.0.1:0");
    return new ConfigLoader(Map.of()).load(null, flags);
  }

  /** ProxyServer for {@code config} with the forwarding tests' policy. */
  private ProxyServer proxy(ProxyConfig config) throws Exception {
    PolicyHolder holder = new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml()));
    ProxyServer proxy = ProxyServer.start(config,
        new Authorizer(MethodCatalog.load(), Clock.systemUTC()), holder, CallObserver.NONE);
    cleanup.push(() -> proxy.shutdown(Duration.ZERO));
    return proxy;
  }

  /**
   * The failure seen through the proxy is a bare UNAVAILABLE (the cause does not cross the wire);
   * to show it fails for the intended reason, dial the upstream with the proxy's own upstream
   * channel ({@link ProxyServer#upstreamChannel}) and look for {@code expected} in the causes.
   */
  private void assertUpstreamHandshakeFails(ProxyConfig config, String what,
      Predicate<Throwable> expected) throws Exception {
    ManagedChannel direct = channel(ProxyServer.upstreamChannel(config));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> start(direct, DEV, "w-direct"));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    List<String> chain = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (expected.test(t)) {
        return;
      }
      chain.add(t.getClass().getName() + ": " + t.getMessage());
    }
    fail("the upstream handshake should fail with " + what + "; causes were:\n"
        + String.join("\n", chain));
  }

  private ManagedChannel plaintextClient(ProxyServer proxy) {
    return channel(NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext());
  }

  private ManagedChannel channel(NettyChannelBuilder builder) {
    return channel(builder.build());
  }

  private ManagedChannel channel(ManagedChannel channel) {
    cleanup.push(() -> {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    });
    return channel;
  }

  /** An allowed StartWorkflowExecution (developer, write on {@code orders}). */
  private static StartWorkflowExecutionResponse start(ManagedChannel channel, String secret,
      String workflowId) {
    return ProxyFixture.startWorkflow(channel, secret, "orders", workflowId, CALL_DEADLINE);
  }

  private static Status.Code failure(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    return e.getStatus().getCode();
  }

  private List<String> workflowIds() {
    return arrived.stream().map(StartWorkflowExecutionRequest::getWorkflowId).toList();
  }

  // ---------------------------------------------------------------- helpers: openssl

  private static void requireOpenssl() throws InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("the 'openssl' command was not found on PATH; TlsTest generates"
          + " its CA and certificates with it at test time (" + e.getMessage() + ")", e);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("'openssl version' did not succeed; TlsTest needs a working openssl on PATH");
    }
  }

  /** A P-256 private key in PKCS#8 PEM (what Netty reads): {@code <name>.key}. */
  private Path key(String name) throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", name + ".raw.key");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".raw.key", "-out", name + ".key");
    Path key = dir.resolve(name + ".key");
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"),
        name + ".key is not PKCS#8 PEM");
    return key;
  }

  /** A self-signed CA: {@code <name>.key}, {@code <name>.pem}. */
  private Path ca(String name, String cn) throws Exception {
    key(name);
    Files.writeString(dir.resolve(name + ".ext"), String.join("\n",
        "basicConstraints = critical, CA:TRUE",
        "keyUsage = critical, keyCertSign, cRLSign",
        "subjectKeyIdentifier = hash",
        ""));
    openssl("req", "-new", "-config", "req.cnf", "-key", name + ".key", "-subj", "/CN=" + cn,
        "-out", name + ".csr");
    openssl("x509", "-req", "-in", name + ".csr", "-signkey", name + ".key", "-days", "2",
        "-set_serial", serial(), "-extfile", name + ".ext", "-out", name + ".pem");
    return dir.resolve(name + ".pem");
  }

  /** A certificate for {@code <name>.key} signed by CA {@code caName}: {@code <name>.pem}. */
  private Path leaf(String name, String caName, String cn, String extendedKeyUsage, String san)
      throws Exception {
    List<String> ext = new ArrayList<>(List.of(
        "basicConstraints = critical, CA:FALSE",
        "keyUsage = critical, digitalSignature",
        "extendedKeyUsage = " + extendedKeyUsage,
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid"));
    if (san != null) {
      ext.add("subjectAltName = " + san);
    }
    Files.writeString(dir.resolve(name + ".ext"), String.join("\n", ext) + "\n");
    openssl("req", "-new", "-config", "req.cnf", "-key", name + ".key", "-subj", "/CN=" + cn,
        "-out", name + ".csr");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", caName + ".pem",
        "-CAkey", caName + ".key", "-set_serial", serial(), "-days", "2",
        "-extfile", name + ".ext", "-out", name + ".pem");
    return dir.resolve(name + ".pem");
  }

  private static String serial() {
    return String.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + String.join(" ", command));
    }
    if (p.exitValue() != 0) {
      fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
          + new String(output, StandardCharsets.UTF_8));
    }
  }
}
