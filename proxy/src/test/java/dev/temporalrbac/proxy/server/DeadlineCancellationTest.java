package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.POLL;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines and cancellations travel upstream; a pending long poll costs no thread. */
@Timeout(30)
class DeadlineCancellationTest {
  private static final byte[] POLL_BODY = PollWorkflowTaskQueueRequest.newBuilder()
      .setNamespace("orders").setTaskQueue(TaskQueue.newBuilder().setName("tq")).build()
      .toByteArray();
  private static final byte[] START_BODY = StartWorkflowExecutionRequest.newBuilder()
      .setNamespace("orders").setWorkflowId("w1").build().toByteArray();

  private static Exchange unary(Channel channel, String method, byte[] body,
      CallOptions options) {
    Exchange ex = new Exchange(channel.newCall(ProxyFixture.method(method, MethodType.UNARY),
        options));
    ex.call.start(ex, ProxyFixture.auth(DEV));
    ex.call.request(1);
    ex.call.sendMessage(body);
    ex.call.halfClose();
    return ex;
  }

  @Test
  void clientDeadlineReachesTheUpstream() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      Exchange ex = unary(fx.channel(), START, START_BODY,
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
      assertEquals(Status.Code.OK, ex.awaitClose().getCode());
      RecordingUpstream.Call arrived = fx.upstream.calls().get(0);
      assertNotNull(arrived.deadline, "the upstream saw no deadline");
      long left = arrived.deadline.timeRemaining(TimeUnit.MILLISECONDS);
      assertTrue(left <= 20_000 && left > 10_000, "upstream deadline " + left + "ms from now");
    }
  }

  @Test
  void noClientDeadlineMeansNoneIsInventedUpstream() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      assertEquals(Status.Code.OK,
          unary(fx.channel(), START, START_BODY, CallOptions.DEFAULT).awaitClose().getCode());
      assertNull(fx.upstream.calls().get(0).deadline);
    }
  }

  @Test
  void clientCancellationOfAPendingLongPollReachesTheUpstream() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      fx.upstream.on(POLL, RecordingUpstream.NEVER);
      Exchange ex = unary(fx.channel(), POLL, POLL_BODY, CallOptions.DEFAULT);
      RecordingUpstream.Call arrived = fx.upstream.awaitCall(1, Duration.ofSeconds(10));
      assertFalse(ex.status.isDone(), "the long poll should still be pending");
      assertEquals(1, arrived.cancelled.getCount());

      ex.call.cancel("the worker stops", null);

      assertTrue(arrived.cancelled.await(10, TimeUnit.SECONDS), "upstream never saw the cancel");
      assertEquals(Status.Code.CANCELLED, ex.awaitClose().getCode());
    }
  }

  @Test
  void expiredDeadlineCancelsTheUpstreamCall() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      fx.upstream.on(POLL, RecordingUpstream.NEVER);
      Exchange ex = unary(fx.channel(), POLL, POLL_BODY,
          CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, ex.awaitClose().getCode());
      RecordingUpstream.Call arrived = fx.upstream.awaitCall(1, Duration.ofSeconds(10));
      assertTrue(arrived.cancelled.await(10, TimeUnit.SECONDS), "upstream call never ended");
    }
  }

  /** Over Netty through {@link ProxyServer}: 200 long polls pending, few threads added. */
  @Test
  void pendingLongPollsDoNotOccupyThreads() throws Exception {
    try (RecordingUpstream upstream = RecordingUpstream.netty()) {
      upstream.on(POLL, RecordingUpstream.NEVER);
      ProxyConfig config = new ConfigLoader(Map.of()).load(null, Map.of("listen", "127.0.0.1:0",
          "upstream", upstream.target(), "policy", "unused.yaml", "admin", "127.0.0.1:0"));
      PolicyHolder holder = new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml()));
      ProxyServer proxy = ProxyServer.start(config,
          new Authorizer(MethodCatalog.load(), Clock.systemUTC()), holder, CallObserver.NONE);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port())
          .usePlaintext().directExecutor().build();
      try {
        assertEquals(Status.Code.OK, unary(channel, START, START_BODY, CallOptions.DEFAULT)
            .awaitClose().getCode());
        int before = ManagementFactory.getThreadMXBean().getThreadCount();

        List<Exchange> polls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          polls.add(unary(channel, POLL, POLL_BODY, CallOptions.DEFAULT));
        }
        upstream.awaitCall(201, Duration.ofSeconds(20));
        int during = ManagementFactory.getThreadMXBean().getThreadCount();

        assertTrue(polls.stream().noneMatch(p -> p.status.isDone()), "a long poll ended");
        assertTrue(during - before < 20, "threads went from " + before + " to " + during
            + " with 200 pending long polls");

        polls.forEach(p -> p.call.cancel("stop", null));
        for (RecordingUpstream.Call call : upstream.calls().subList(1, 201)) {
          assertTrue(call.cancelled.await(10, TimeUnit.SECONDS), "a cancel did not reach upstream");
        }
        for (Exchange p : polls) {
          assertEquals(Status.Code.CANCELLED, p.awaitClose().getCode());
        }
      } finally {
        channel.shutdownNow();
        proxy.close();
      }
    }
  }
}
