package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.POLL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ConnectTimeout} on a channel to a {@link RecordingUpstream} behind a paused
 * {@link TcpRelay}: the HTTP/2 handshake cannot complete until the relay resumes, so the channel
 * is known not to be READY when the call starts.
 */
@Timeout(30)
class ConnectTimeoutTest {
  private static final MethodDescriptor<byte[], byte[]> POLL_METHOD =
      ProxyFixture.method(POLL, MethodType.UNARY);
  private static final ConnectTimeout ONE_SECOND =
      new ConnectTimeout("upstream.test:7233", Duration.ofSeconds(1));

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private RecordingUpstream upstream;
  private TcpRelay relay;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    upstream = RecordingUpstream.netty();
    upstream.on(POLL, RecordingUpstream.NEVER);
    relay = new TcpRelay(upstream.target());
    channel = NettyChannelBuilder.forTarget(relay.target()).usePlaintext().build();
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow();
    relay.close();
    upstream.close();
    timer.shutdownNow();
  }

  private Exchange poll() {
    ClientCall<byte[], byte[]> call =
        ONE_SECOND.newCall(channel, timer, POLL_METHOD, CallOptions.DEFAULT);
    Exchange exchange = new Exchange(call);
    call.start(exchange, new Metadata());
    call.request(1);
    call.sendMessage(new byte[0]);
    call.halfClose();
    return exchange;
  }

  @Test
  void callWithNoConnectionEndsUnavailableNamingTheSetting() {
    relay.pause();
    channel.getState(true);

    Status status = poll().awaitClose();

    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertEquals("the upstream upstream.test:7233 could not be reached: no connection within"
        + " upstream.connect_timeout (1s)", status.getDescription());
  }

  @Test
  void callThatGetsItsConnectionInTimeRunsOnPastTheTimeout() throws Exception {
    relay.pause();
    channel.getState(true);
    assertNotEquals(ConnectivityState.READY, channel.getState(false));
    Exchange poll = poll();
    Thread.sleep(300);

    relay.resume();

    upstream.awaitCall(1, Duration.ofSeconds(10));
    Thread.sleep(2000); // twice the timeout
    assertFalse(poll.status.isDone(), "the long poll ended: " + poll.status.getNow(null));
    poll.call.cancel("done", null);
    assertEquals(Status.Code.CANCELLED, poll.awaitClose().getCode());
  }

  @Test
  void callsOnAConnectedChannelAreNotWrapped() throws Exception {
    channel.getState(true);
    for (int i = 0; i < 100 && channel.getState(false) != ConnectivityState.READY; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertEquals(ConnectivityState.READY, channel.getState(false));

    ClientCall<byte[], byte[]> call =
        ONE_SECOND.newCall(channel, timer, POLL_METHOD, CallOptions.DEFAULT);

    assertFalse(call instanceof ConnectWaitingCall, "the hot path must not pay for the timeout");
  }
}
