package dev.temporalrbac.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.server.CallInfo;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin port's HTTP: pages, statuses, and the bounds that keep it answering. */
class AdminServerTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  private static final String POLICY = String.join("\n",
      "users:",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {orders: write}",
      "");
  /** Generous: the port answers in milliseconds; this only stops a broken test from hanging. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  private final AtomicBoolean upstreamUp = new AtomicBoolean(true);
  private PolicySnapshot snapshot;
  private ProxyMetrics metrics;
  private AdminServer server;

  @BeforeEach
  void start() throws Exception {
    snapshot = PolicyLoader.parse(POLICY.getBytes(StandardCharsets.UTF_8), "policy.yaml",
        Instant.parse("2025-01-02T03:04:05Z"));
    metrics = new ProxyMetrics();
    metrics.installed(snapshot);
    server = AdminServer.start(loopback(), metrics, new PolicyHolder(snapshot), upstreamUp::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  private AdminServer start(Supplier<String> scrape, PolicyHolder holder, AdminLimits limits)
      throws Exception {
    return AdminServer.start(loopback(), scrape, holder, upstreamUp::get, limits);
  }

  private HttpResponse<String> send(AdminServer target, String method, String path)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(AdminServer target, String path) throws Exception {
    return send(target, "GET", path);
  }

  @Test
  void jwksIsNotFoundWhenTheProxyMintsNothing() throws Exception {
    assertEquals(404, get(server, "/.well-known/jwks.json").statusCode());
    assertEquals(404, get(server, "/jwks.json").statusCode());
  }

  @Test
  void servesTheMintingKeysJwksAsJson() throws Exception {
    String jwks = "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"}]}";
    try (AdminServer minting = AdminServer.start(loopback(), () -> "", new PolicyHolder(snapshot),
        upstreamUp::get, AdminLimits.DEFAULTS, jwks)) {
      for (String path : List.of("/.well-known/jwks.json", "/jwks.json")) {
        HttpResponse<String> response = get(minting, path);
        assertEquals(200, response.statusCode(), path);
        assertEquals("application/json", response.headers().firstValue("content-type")
            .orElse(""), path);
        assertEquals(jwks, response.body(), path);
      }
      assertEquals(405, send(minting, "POST", "/jwks.json").statusCode());
    }
  }

  @Test
  void servesMetrics() throws Exception {
    metrics.decided(new Decision(Outcome.DENY, Reason.UNKNOWN_KEY, "unknown key", START, "", "",
        "", "", "", List.of(), "namespace:write", snapshot.version(), false, null),
        new CallInfo("workflow", "StartWorkflowExecution", START, "", ""), true);
    HttpResponse<String> response = get(server, "/metrics");
    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("content-type").orElse(""));
    assertTrue(response.body().contains("temporal_rbac_decisions_total{decision=\"deny\","
        + "method=\"StartWorkflowExecution\",reason=\"unknown_key\",service=\"workflow\"} 1.0"));
    assertTrue(response.body().contains(
        "temporal_rbac_policy_info{version=\"" + snapshot.version() + "\"} 1"));
    assertTrue(response.body().contains("jvm_memory_used_bytes"));
  }

  @Test
  void servesHealthReadinessAndRefusesOtherPathsAndMethods() throws Exception {
    HttpResponse<String> health = get(server, "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    assertEquals("no-store", health.headers().firstValue("cache-control").orElse(""));
    HttpResponse<String> ready = get(server, "/readyz?verbose=1");
    assertEquals(200, ready.statusCode());
    assertEquals("ready: policy " + snapshot.version() + " from policy.yaml\n", ready.body());

    upstreamUp.set(false);
    HttpResponse<String> notReady = get(server, "/readyz");
    assertEquals(503, notReady.statusCode());
    assertEquals("not ready: the upstream is not reachable\n", notReady.body());

    try (Socket socket = RawHttp.connect(server.port())) {
      RawHttp.write(socket, "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String undecodable = RawHttp.readUntilClosed(socket);
      assertTrue(undecodable.startsWith("HTTP/1.1 404 "), undecodable);
    }
    HttpResponse<String> missing = get(server, "/nothing");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("/healthz"), missing.body());
    HttpResponse<String> post = send(server, "POST", "/healthz");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
    assertEquals(405, send(server, "DELETE", "/metrics").statusCode());
    HttpResponse<String> withBody = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, withBody.statusCode(), "admin requests carry no body");
    HttpResponse<String> head = send(server, "HEAD", "/healthz");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void isNotReadyWithoutPolicy() throws Exception {
    try (AdminServer empty = start(metrics::scrape, new PolicyHolder(null), AdminLimits.DEFAULTS)) {
      HttpResponse<String> response = get(empty, "/readyz");
      assertEquals(503, response.statusCode());
      assertEquals("not ready: no policy is loaded\n", response.body());
      assertEquals(200, get(empty, "/healthz").statusCode());
    }
  }

  @Test
  void notReadyNamesWhyNoPolicyIsLoaded() throws Exception {
    PolicyHolder holder = new PolicyHolder(null);
    holder.noPolicyBecause("https://policies.example/p.yaml: answered HTTP 503");
    try (AdminServer empty = start(metrics::scrape, holder, AdminLimits.DEFAULTS)) {
      HttpResponse<String> response = get(empty, "/readyz");
      assertEquals(503, response.statusCode());
      assertEquals("not ready: no policy is loaded (https://policies.example/p.yaml: answered"
          + " HTTP 503)\n", response.body());
      holder.install(snapshot);
      assertEquals("ready: policy " + snapshot.version() + " from policy.yaml\n",
          get(empty, "/readyz").body());
    }
  }

  @Test
  void readinessNamesTheShadowPolicyVersion() throws Exception {
    PolicyHolder shadow = new PolicyHolder(null);
    try (AdminServer withShadow = AdminServer.start(loopback(), metrics,
        new PolicyHolder(snapshot), shadow, upstreamUp::get, null)) {
      assertEquals("ready: policy " + snapshot.version() + " from policy.yaml; shadow policy"
          + " none yet\n", get(withShadow, "/readyz").body(), "a shadow never holds readiness");
      PolicySnapshot next = PolicyLoader.parse("users: []\n".getBytes(StandardCharsets.UTF_8),
          "shadow.yaml", Instant.parse("2025-01-02T03:04:05Z"));
      shadow.install(next);
      HttpResponse<String> response = get(withShadow, "/readyz");
      assertEquals(200, response.statusCode());
      assertEquals("ready: policy " + snapshot.version() + " from policy.yaml; shadow policy "
          + next.version() + "\n", response.body());
    }
  }

  /** The case: 64 connections each holding an unfinished request. */
  @Test
  void healthAnswersWhile64ConnectionsHoldUnfinishedRequests() throws Exception {
    List<Socket> slow = RawHttp.unfinishedRequests(server.port(), 64);
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> health = get(server, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
      }
      for (Socket socket : slow) {
        assertTrue(RawHttp.stillOpen(socket), "a slow client under the limits was closed");
      }
    } finally {
      RawHttp.closeAll(slow);
    }
  }

  @Test
  void aFullPortClosesTheConnectionThatWaitedLongest() throws Exception {
    AdminLimits limits = new AdminLimits(8 * 1024, PATIENCE, 100, 8, 4);
    try (AdminServer small = start(metrics::scrape, new PolicyHolder(snapshot), limits)) {
      List<Socket> slow = RawHttp.unfinishedRequests(small.port(), 8);
      try {
        assertEquals(200, get(small, "/healthz").statusCode());
        assertEquals("", RawHttp.readUntilClosed(slow.get(0)),
            "the eldest waiting connection made room");
        assertTrue(RawHttp.stillOpen(slow.get(7)));
      } finally {
        RawHttp.closeAll(slow);
      }
    }
  }

  @Test
  void anUnfinishedRequestIsClosedAfterTheRequestTimeout() throws Exception {
    AdminLimits limits = new AdminLimits(8 * 1024, Duration.ofMillis(200), 100, 256, 4);
    try (AdminServer quick = start(metrics::scrape, new PolicyHolder(snapshot), limits);
        Socket socket = RawHttp.connect(quick.port())) {
      RawHttp.write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
      assertEquals("", RawHttp.readUntilClosed(socket), "closed without an answer");
      // an idle keep-alive connection is held no longer than that either
      try (Socket idle = RawHttp.connect(quick.port())) {
        RawHttp.write(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        String answer = RawHttp.readUntilClosed(idle);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
      }
    }
  }

  @Test
  void oversizeHeadersAreRefusedAndTheConnectionClosed() throws Exception {
    try (Socket socket = RawHttp.connect(server.port())) {
      RawHttp.write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9 * 1024)
          + "\r\n\r\n");
      String answer = RawHttp.readUntilClosed(socket);
      assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
      assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    }
    try (Socket socket = RawHttp.connect(server.port())) {
      RawHttp.write(socket, "GET /" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = RawHttp.readUntilClosed(socket);
      assertTrue(answer.startsWith("HTTP/1.1 414 "), answer);
    }
    assertEquals(200, get(server, "/healthz").statusCode());
  }

  @Test
  void keepAliveEndsAfterTheLimitAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
    AdminLimits limits = new AdminLimits(8 * 1024, PATIENCE, 2, 256, 4);
    try (AdminServer bounded = start(metrics::scrape, new PolicyHolder(snapshot), limits);
        Socket socket = RawHttp.connect(bounded.port())) {
      String request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
      RawHttp.write(socket, request);
      String first = RawHttp.readAnswer(socket);
      assertTrue(first.startsWith("HTTP/1.1 200 OK"), first);
      assertFalse(first.toLowerCase().contains("connection: close"), first);
      RawHttp.write(socket, request);
      String second = RawHttp.readUntilClosed(socket);
      assertTrue(second.startsWith("HTTP/1.1 200 OK"), second);
      assertTrue(second.toLowerCase().contains("connection: close"), second);
    }
    try (Socket socket = RawHttp.connect(server.port())) {
      RawHttp.write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(RawHttp.readAnswer(socket).startsWith("HTTP/1.1 200 OK"));
      assertTrue(RawHttp.readAnswer(socket).startsWith("HTTP/1.1 404 Not Found"));
      String last = RawHttp.readUntilClosed(socket);
      assertTrue(last.startsWith("HTTP/1.1 200 OK") && last.endsWith("ready: policy " + snapshot.version()
          + " from policy.yaml\n"), last);
    }
  }

  @Test
  void aSlowScrapeDoesNotDelayHealthAndExtraScrapesAreRefused() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch rendering = new java.util.concurrent.CountDownLatch(1);
    Supplier<String> stuck = () -> {
      rendering.countDown();
      try {
        release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "# nothing\n";
    };
    AdminLimits limits = new AdminLimits(8 * 1024, PATIENCE, 100, 256, 1);
    try (AdminServer busy = start(stuck, new PolicyHolder(snapshot), limits);
        Socket first = RawHttp.connect(busy.port());
        Socket queued = RawHttp.connect(busy.port());
        Socket refused = RawHttp.connect(busy.port())) {
      RawHttp.write(first, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(rendering.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      RawHttp.write(queued, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, get(busy, "/healthz").statusCode()); // also orders queued before refused
      RawHttp.write(refused, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String answer = RawHttp.readUntilClosed(refused);
      assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
      assertTrue(answer.toLowerCase().contains("retry-after: 1"), answer);
      release.countDown();
      assertTrue(RawHttp.readAnswer(first).startsWith("HTTP/1.1 200 OK"));
      assertTrue(RawHttp.readAnswer(queued).startsWith("HTTP/1.1 200 OK"));
    }
  }

  @Test
  void theAdminPortDoesNotSpeakGrpc() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().build();
    try {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> PolicyAdminGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
              .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
      assertNotEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, refused.getStatus().getCode(),
          "refused at once, not left hanging: " + refused.getStatus());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertEquals(200, get(server, "/healthz").statusCode());
  }
}
