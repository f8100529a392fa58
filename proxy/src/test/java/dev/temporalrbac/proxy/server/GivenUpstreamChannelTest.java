package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "Try it now" mode: the proxy in front of an upstream channel it was given (in process), with
 * the same connect timeout and readiness monitor as its own channels.
 */
@Timeout(60)
class GivenUpstreamChannelTest {
  private static final byte[] START_BODY = StartWorkflowExecutionRequest.newBuilder()
      .setNamespace("orders").setWorkflowId("w1").build().toByteArray();

  @Test
  void callsPassAndReadinessFollowsTheGivenChannel() throws Exception {
    RecordingUpstream upstream = RecordingUpstream.inProcess();
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, Map.of("listen", "127.0.0.1:0",
        "policy", "unused.yaml", "admin", "127.0.0.1:0", "upstream-probe-interval", "100ms"));
    ProxyServer proxy = ProxyServer.start(config,
        new Authorizer(MethodCatalog.load(), Clock.systemUTC()),
        new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml())), CallObserver.NONE,
        upstream.inProcessChannel());
    ManagedChannel client = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port())
        .usePlaintext().build();
    try {
      assertEquals(Status.Code.OK, start(client).getCode());
      assertTrue(eventually(proxy::upstreamReady), "the in-process upstream should be ready");

      upstream.close();

      assertEquals(Status.Code.UNAVAILABLE, start(client).getCode());
      assertTrue(eventually(() -> !proxy.upstreamReady()), "a closed upstream is not ready");
    } finally {
      client.shutdownNow();
      proxy.close();
      upstream.close();
    }
  }

  private static Status start(ManagedChannel client) {
    Exchange ex = new Exchange(client.newCall(ProxyFixture.method(START, MethodType.UNARY),
        CallOptions.DEFAULT));
    ex.call.start(ex, ProxyFixture.auth(DEV));
    ex.call.request(1);
    ex.call.sendMessage(START_BODY);
    ex.call.halfClose();
    return ex.awaitClose();
  }

  private static boolean eventually(BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
