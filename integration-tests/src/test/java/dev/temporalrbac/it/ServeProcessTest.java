package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@code serve} from the fat jar as its own process in front of an upstream in this JVM:
 * decisions show in {@code /metrics} scraped over HTTP, and SIGTERM lets a call in flight finish
 * before the process exits 0.
 */
@Timeout(120)
class ServeProcessTest {
  private static final String SLOW_WORKFLOW = "slow";

  private final CountDownLatch slowCallArrived = new CountDownLatch(1);
  private Server upstream;
  private Process proxy;
  private ManagedChannel channel;
  private int adminPort;

  @BeforeEach
  void start() throws Exception {
    upstream = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void startWorkflowExecution(StartWorkflowExecutionRequest request,
              StreamObserver<StartWorkflowExecutionResponse> response) {
            if (request.getWorkflowId().equals(SLOW_WORKFLOW)) {
              slowCallArrived.countDown();
              CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> answer(response));
            } else {
              answer(response);
            }
          }
        }).build().start();
    int proxyPort = freePort();
    adminPort = freePort();
    Path policy = Path.of(getClass().getResource("/it-policy.yaml").toURI());
    Path jar = Path.of(System.getProperty("proxy.jar", "../proxy/target/temporal-rbac-proxy.jar"));
    proxy = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "serve", "--policy", policy.toString(), "--listen", "127.0.0.1:" + proxyPort,
        "--admin", "127.0.0.1:" + adminPort, "--upstream", "127.0.0.1:" + upstream.getPort(),
        "--shutdown-grace", "20s"))
        .redirectErrorStream(true)
        .redirectOutput(Files.createTempFile("serve", ".log").toFile())
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxyPort).usePlaintext().build();
    awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    proxy.destroyForcibly();
    upstream.shutdownNow();
  }

  private static void answer(StreamObserver<StartWorkflowExecutionResponse> response) {
    response.onNext(StartWorkflowExecutionResponse.newBuilder().setRunId("run").build());
    response.onCompleted();
  }

  @Test
  void metricsCountAKnownSequenceOfDecisions() throws Exception {
    for (int i = 0; i < 3; i++) {
      start(stub("secret"), "orders", "w" + i);
    }
    for (int i = 0; i < 2; i++) {
      StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
          () -> start(stub("secret"), "payments", "x"));
      assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    }
    StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
        () -> start(WorkflowServiceGrpc.newBlockingStub(channel), "orders", "y"));
    assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());

    String metrics = http("/metrics").body();
    String start = "method=\"StartWorkflowExecution\"";
    assertTrue(hasSample(metrics, "temporal_rbac_decisions_total", List.of(start,
        "decision=\"allow\""), "3.0"), metrics);
    assertTrue(hasSample(metrics, "temporal_rbac_decisions_total", List.of(start,
        "decision=\"deny\"", "reason=\"missing_namespace_permission\""), "2.0"), metrics);
    assertTrue(hasSample(metrics, "temporal_rbac_decisions_total", List.of(start,
        "decision=\"deny\"", "reason=\"no_credentials\""), "1.0"), metrics);
    assertTrue(hasSample(metrics, "temporal_rbac_authentication_failures_total",
        List.of("reason=\"no_credentials\""), "1.0"), metrics);
  }

  @Test
  void sigtermLetsACallInFlightFinishThenExitsZero() throws Exception {
    CompletableFuture<StartWorkflowExecutionResponse> slow = CompletableFuture.supplyAsync(
        () -> start(stub("secret"), "orders", SLOW_WORKFLOW));
    assertTrue(slowCallArrived.await(30, TimeUnit.SECONDS), "the slow call never arrived upstream");
    proxy.destroy();
    assertEquals("run", slow.get(30, TimeUnit.SECONDS).getRunId());
    assertTrue(proxy.waitFor(30, TimeUnit.SECONDS), "the proxy did not exit after SIGTERM");
    assertEquals(0, proxy.exitValue());
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(String key) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return WorkflowServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static StartWorkflowExecutionResponse start(
      WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String workflowId) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS).startWorkflowExecution(
        StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
            .setWorkflowId(workflowId).build());
  }

  /** True when a sample line of {@code name} carries every label and has {@code value}. */
  private static boolean hasSample(String metrics, String name, List<String> labels, String value) {
    return metrics.lines().anyMatch(line -> line.startsWith(name + "{")
        && labels.stream().allMatch(line::contains) && line.endsWith(" " + value));
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(proxy.isAlive(), "the proxy process exited early");
      try {
        if (http("/readyz").statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // the admin port is not open yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the proxy did not become ready");
  }

  private HttpResponse<String> http(String path) throws IOException, InterruptedException {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
