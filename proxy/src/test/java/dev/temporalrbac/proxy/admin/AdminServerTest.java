package dev.temporalrbac.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proto.v1.ExplainResponse;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.GetPolicyStatusResponse;
import dev.temporalrbac.proto.v1.Outcome;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.ReloadStatus;
import dev.temporalrbac.proxy.server.CallInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  private static final String POLICY = String.join("\n",
      "users:",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {orders: write}",
      "api_keys:",
      "  - id: k1",
      "    owner: dev@example.com",
      "    sha256: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
      "");
  private static Authorizer authorizer;

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicBoolean upstreamUp = new AtomicBoolean(true);
  private PolicySnapshot snapshot;
  private ProxyMetrics metrics;
  private AdminServer server;
  private ManagedChannel channel;

  @BeforeAll
  static void catalog() {
    authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
  }

  @BeforeEach
  void start() throws Exception {
    snapshot = PolicyLoader.parse(POLICY.getBytes(StandardCharsets.UTF_8), "policy.yaml",
        Instant.parse("2025-01-02T03:04:05Z"));
    metrics = new ProxyMetrics();
    metrics.installed(snapshot);
    server = start(new PolicyHolder(snapshot));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private AdminServer start(PolicyHolder holder) throws Exception {
    return AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics,
        holder, upstreamUp::get, authorizer, () -> new ReloadStatus(2, 1, "bad yaml", null));
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    metrics.close();
  }

  private HttpResponse<String> get(AdminServer target, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + target.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetrics() throws Exception {
    metrics.decided(new dev.temporalrbac.policy.eval.Decision(
        dev.temporalrbac.policy.eval.Outcome.DENY, dev.temporalrbac.policy.eval.Reason.UNKNOWN_KEY,
        "unknown key", START, "", "", "", "", java.util.List.of(), "namespace:write",
        snapshot.version(), false, null),
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
  void servesHealthAndReadiness() throws Exception {
    HttpResponse<String> health = get(server, "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    assertEquals(200, get(server, "/readyz").statusCode());

    upstreamUp.set(false);
    HttpResponse<String> notReady = get(server, "/readyz");
    assertEquals(503, notReady.statusCode());
    assertTrue(notReady.body().contains("upstream"), notReady.body());
    assertFalse(notReady.body().contains("policy"), notReady.body());
    assertEquals(404, get(server, "/nothing").statusCode());
  }

  @Test
  void isNotReadyWithoutPolicy() throws Exception {
    try (AdminServer empty = start(new PolicyHolder(null))) {
      HttpResponse<String> response = get(empty, "/readyz");
      assertEquals(503, response.statusCode());
      assertTrue(response.body().contains("no policy is loaded"), response.body());
      assertEquals(200, get(empty, "/healthz").statusCode());
    }
  }

  @Test
  void explainsOverGrpcOnTheSamePort() throws Exception {
    assertEquals(200, get(server, "/healthz").statusCode());
    PolicyAdminGrpc.PolicyAdminBlockingStub admin = PolicyAdminGrpc.newBlockingStub(channel);
    ExplainResponse allowed = admin.explain(ExplainRequest.newBuilder()
        .setPrincipal("dev@example.com").setMethod(START)
        .setRequest(Struct.newBuilder()
            .putFields("namespace", Value.newBuilder().setStringValue("orders").build())
            .putFields("workflowId", Value.newBuilder().setStringValue("w1").build()))
        .build());
    assertEquals(Outcome.ALLOW, allowed.getDecision());
    assertEquals("OK", allowed.getStatus());
    assertEquals("dev@example.com", allowed.getPrincipal());
    assertEquals(snapshot.version(), allowed.getPolicyVersion());

    ExplainResponse denied = admin.explain(ExplainRequest.newBuilder()
        .setApiKey("secret").setMethod(START)
        .setRequestBase64(StartWorkflowExecutionRequest.newBuilder().setNamespace("payments")
            .build().toByteString())
        .build());
    assertEquals(Outcome.DENY, denied.getDecision());
    assertEquals("PERMISSION_DENIED", denied.getStatus());
    assertEquals("dev@example.com", denied.getPrincipal());
    assertTrue(denied.getNamespacesList().contains("payments"));
    assertFalse(denied.toString().contains("secret"));

    StatusRuntimeException both = assertThrows(StatusRuntimeException.class,
        () -> admin.explain(ExplainRequest.newBuilder().setPrincipal("dev@example.com")
            .setApiKey("secret").setMethod(START).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, both.getStatus().getCode());
    assertFalse(both.getStatus().getDescription().contains("secret"));
    assertEquals(200, get(server, "/healthz").statusCode()); // HTTP still served alongside
  }

  @Test
  void passesAHalfCloseOnAndKeepsTheAnswer() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      // starts like the HTTP/2 preface, then is not: HTTP/1.x
      socket.getOutputStream().write(
          "GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      String answer = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.endsWith("ok\n"), answer);
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.getOutputStream().write("PRI * HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      String answer = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 "), "not the preface, so HTTP/1.1: " + answer);
    }
  }

  @Test
  void reportsPolicyStatus() {
    GetPolicyStatusResponse status = PolicyAdminGrpc.newBlockingStub(channel)
        .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance());
    assertEquals(snapshot.version(), status.getVersion());
    assertEquals("policy.yaml", status.getSource());
    assertEquals(Instant.parse("2025-01-02T03:04:05Z").getEpochSecond(),
        status.getLoadedAt().getSeconds());
    assertEquals(1, status.getPrincipalsPerRoleOrThrow("developer"));
    assertEquals(1, status.getApiKeys());
    assertEquals(0, status.getGroups());
    assertEquals(2, status.getReloadsSucceeded());
    assertEquals(1, status.getReloadsFailed());
    assertEquals("bad yaml", status.getLastError());
  }
}
