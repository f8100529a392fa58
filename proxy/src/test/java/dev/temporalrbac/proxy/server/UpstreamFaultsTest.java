package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.POLL;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream faults end calls UNAVAILABLE instead of hanging, turn readiness false, and calls pass
 * again soon after the upstream returns. The upstream is a {@link BlackHole}, or a
 * {@link RecordingUpstream} behind a {@link TcpRelay} that freezes or goes down.
 */
@Timeout(90)
class UpstreamFaultsTest {
  private static final byte[] START_BODY = StartWorkflowExecutionRequest.newBuilder()
      .setNamespace("orders").setWorkflowId("w1").build().toByteArray();
  private static final byte[] POLL_BODY = PollWorkflowTaskQueueRequest.newBuilder()
      .setNamespace("orders").setTaskQueue(TaskQueue.newBuilder().setName("tq")).build()
      .toByteArray();

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
  private ProxyServer proxy;
  private ManagedChannel client;

  @AfterEach
  void stop() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    cleanup.push(resource);
    return resource;
  }

  /** A proxy in front of {@code upstream}: connect timeout 1s, probes every 200ms. */
  private void startProxy(String upstream) throws Exception {
    startProxy(upstream, "200ms");
  }

  private void startProxy(String upstream, String probeInterval) throws Exception {
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, Map.of(
        "listen", "127.0.0.1:0", "upstream", upstream, "policy", "unused.yaml",
        "admin", "127.0.0.1:0", "upstream-connect-timeout", "1s",
        "upstream-probe-interval", probeInterval, "upstream-keepalive-time", "10s",
        "upstream-keepalive-timeout", "1s"));
    proxy = ProxyServer.start(config, new Authorizer(MethodCatalog.load(), Clock.systemUTC()),
        new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml())), CallObserver.NONE);
    closeLater(proxy);
    client = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    closeLater(client::shutdownNow);
  }

  /** A call with no deadline. */
  private Exchange call(String method, byte[] body) {
    Exchange ex = new Exchange(client.newCall(ProxyFixture.method(method, MethodType.UNARY),
        CallOptions.DEFAULT));
    ex.call.start(ex, ProxyFixture.auth(DEV));
    ex.call.request(1);
    ex.call.sendMessage(body);
    ex.call.halfClose();
    return ex;
  }

  private static boolean eventually(BooleanSupplier condition, Duration limit)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  /** Calls until one succeeds; returns how long that took, or fails past {@code limit}. */
  private Duration untilACallPasses(Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
    while (System.nanoTime() < end) {
      if (call(START, START_BODY).awaitClose().isOk()) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no call passed within " + limit + " after the upstream returned");
  }

  private static void assertUnreachable(Status status) {
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("could not be reached")
        && status.getDescription().contains("upstream.connect_timeout"), status.toString());
  }

  @Test
  void readinessDoesNotFlapWhenTheUpstreamRecyclesItsConnections() throws Exception {
    // as a frontend does at its maximum connection age: GOAWAY, then the proxy reconnects
    io.grpc.Server upstream = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
        .addService(new io.grpc.protobuf.services.HealthStatusManager().getHealthService())
        .maxConnectionAge(2, java.util.concurrent.TimeUnit.SECONDS)
        .maxConnectionAgeGrace(100, java.util.concurrent.TimeUnit.MILLISECONDS)
        .build().start();
    closeLater(upstream::shutdownNow);
    startProxy("127.0.0.1:" + upstream.getPort(), "500ms"); // a reconnect has 1s of grace
    assertTrue(eventually(proxy::upstreamReady, Duration.ofSeconds(10)), "never ready");

    int samples = 0; // every 10 ms across three or four GOAWAYs of each upstream connection
    long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
    while (System.nanoTime() < end) {
      assertTrue(proxy.upstreamReady(), "readiness dropped after " + samples + " samples");
      samples++;
      Thread.sleep(10);
    }
  }

  @Test
  void blackHoledUpstreamEndsACallWithoutDeadline() throws Exception {
    BlackHole hole = closeLater(new BlackHole());
    startProxy(hole.target());

    Status first = call(START, START_BODY).awaitClose();
    Status second = call(START, START_BODY).awaitClose();

    assertUnreachable(first);
    assertUnreachable(second);
    assertTrue(hole.accepted() > 0, "the black hole should have accepted the TCP connection");
    assertFalse(proxy.upstreamReady());
  }

  /**
   * gRPC never times out a connection attempt stuck in the HTTP/2 handshake; the monitor abandons
   * it after {@code upstream.connect_timeout} and starts another, which reaches the upstream once
   * the black hole is gone.
   */
  @Test
  void attemptStuckInTheHandshakeIsAbandonedAndRetried() throws Exception {
    RecordingUpstream upstream = closeLater(RecordingUpstream.netty());
    TcpRelay relay = closeLater(new TcpRelay(upstream.target()));
    relay.holdNew(true);
    startProxy(relay.target());
    assertUnreachable(call(START, START_BODY).awaitClose());

    relay.holdNew(false);

    Duration recovery = untilACallPasses(Duration.ofSeconds(5));
    System.out.println("stuck attempts abandoned: a call passed " + recovery.toMillis()
        + "ms after the black hole went");
  }

  @Test
  void frozenUpstreamEndsCallsAndTurnsNotReadyThenRecovers() throws Exception {
    RecordingUpstream upstream = closeLater(RecordingUpstream.netty());
    upstream.on(POLL, RecordingUpstream.NEVER);
    TcpRelay relay = closeLater(new TcpRelay(upstream.target()));
    startProxy(relay.target());
    assertEquals(Status.Code.OK, call(START, START_BODY).awaitClose().getCode());
    assertTrue(eventually(proxy::upstreamReady, Duration.ofSeconds(10)), "never ready");
    Exchange poll = call(POLL, POLL_BODY);
    assertTrue(eventually(() -> upstream.calls().stream().anyMatch(c -> c.method.equals(POLL)),
        Duration.ofSeconds(10)), "the long poll never reached the upstream");

    relay.pause();

    assertTrue(eventually(() -> !proxy.upstreamReady(), Duration.ofSeconds(10)),
        "a frozen upstream should turn readiness false");
    Status polled = poll.awaitClose(); // ended by keepalive: 10s without reads + 1s unanswered
    assertEquals(Status.Code.UNAVAILABLE, polled.getCode(), polled.toString());
    assertEquals(Status.Code.UNAVAILABLE, call(START, START_BODY).awaitClose().getCode());

    relay.resume();

    Duration recovery = untilACallPasses(Duration.ofSeconds(10));
    System.out.println("frozen upstream: a call passed " + recovery.toMillis()
        + "ms after it resumed");
    assertTrue(eventually(proxy::upstreamReady, Duration.ofSeconds(10)), "not ready again");
  }

  /**
   * gRPC's reconnect backoff grows to about 6s after 10s of refused connections (1s, x1.6 each
   * time); the monitor resets it, so calls pass again well before the next backed-off attempt.
   */
  @Test
  void upstreamDownThenBackPassesAgainWithoutWaitingForTheBackoff() throws Exception {
    RecordingUpstream upstream = closeLater(RecordingUpstream.netty());
    TcpRelay relay = closeLater(new TcpRelay(upstream.target()));
    startProxy(relay.target());
    assertEquals(Status.Code.OK, call(START, START_BODY).awaitClose().getCode());
    // readiness must first have been true, or "not ready" below could be the monitor's first
    // probe still pending while a call races the relay's closing of the live connection
    assertTrue(eventually(proxy::upstreamReady, Duration.ofSeconds(10)), "never ready");

    relay.down();
    long outageEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    assertTrue(eventually(() -> !proxy.upstreamReady(), Duration.ofSeconds(5)),
        "a gone upstream should turn readiness false");
    while (System.nanoTime() < outageEnd) {
      assertEquals(Status.Code.UNAVAILABLE, call(START, START_BODY).awaitClose().getCode());
      Thread.sleep(250);
    }
    relay.up();

    Duration recovery = untilACallPasses(Duration.ofSeconds(3));
    System.out.println("after a 10s outage, a call passed " + recovery.toMillis()
        + "ms after the upstream returned");
    assertTrue(eventually(proxy::upstreamReady, Duration.ofSeconds(5)), "not ready again");
  }
}
