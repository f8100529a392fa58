package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static dev.temporalrbac.proxy.server.ProxyFixture.auth;
import static dev.temporalrbac.proxy.server.ProxyFixture.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A unary (or server-streaming) method takes exactly one request message: a second one, or an
 * end of stream before the first, ends the call at once (INTERNAL, as grpc-java's servers answer)
 * and nothing is opened upstream (the upstream call opens once the request is complete). Calls carry no deadline, so a hang would show as a timeout.
 * Over Netty, with every buffer checked for leaks.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class CallShapeTest {
  private final RejectionLog log = new RejectionLog();
  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ProxyFixture.builder().netty().observer(log).start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private void assertBudgetReturned() throws InterruptedException {
    for (int i = 0; i < 200 && fx.registry.requestBufferBytesInUse() != 0; i++) {
      Thread.sleep(10);
    }
    assertEquals(0, fx.registry.requestBufferBytesInUse(), "request budget still reserved");
  }

  @Test
  void aSecondMessageOnAUnaryCallEndsItAndNothingIsOpenedUpstream() throws Exception {
    byte[] first = ForwardingTest.startRequest("orders");
    fx.unary(DEV, START, first).single(); // the upstream connection is up and would be used
    Exchange ex = fx.start(START, MethodType.UNARY, auth(DEV), CallOptions.DEFAULT);
    ex.call.sendMessage(first);
    ex.call.sendMessage(randomBytes(100));
    // no half-close and no deadline: before the fix the call waited forever

    ProxyFixture.assertStatus(ex.awaitClose(), Status.Code.INTERNAL, "Too many requests", START,
        "exactly one request message", "nothing was forwarded");
    assertEquals(1, fx.upstream.calls().size(), "the call was opened upstream");
    assertEquals(List.of(Rejection.TOO_MANY_REQUESTS), log.rejections());
    assertBudgetReturned();
  }

  @Test
  void anEndOfStreamWithoutTheRequestEndsTheCallUnforwarded() throws Exception {
    Exchange ex = fx.start(START, MethodType.UNARY, auth(DEV), CallOptions.DEFAULT);
    ex.call.halfClose();

    ProxyFixture.assertStatus(ex.awaitClose(), Status.Code.INTERNAL, "Half-closed without a request", START);
    assertTrue(fx.upstream.calls().isEmpty(), "a call without its request reached the upstream");
    assertTrue(log.decisions.isEmpty(), "a call without its request was decided");
    assertEquals(List.of(Rejection.MISSING_REQUEST), log.rejections());
    assertBudgetReturned();
  }

  @Test
  void oneMessageThenEndOfStreamStillPasses() throws Exception {
    byte[] request = randomBytes(3000);
    Exchange ex = fx.unary(DEV, RecordingUpstream.UNARY, request);

    assertArrayEquals(RecordingUpstream.reversed(request), ex.single());
    assertArrayEquals(request, fx.upstream.calls().get(0).requests.get(0));
    assertEquals(List.of(), log.rejections());
    assertBudgetReturned();
  }

  /**
   * Temporal's catalog has only unary methods; {@code test.Echo} is outside it, so its calls are
   * of unknown shape to the proxy and may carry any number of messages (the test decider allows
   * them, as a client- or bidi-streaming method would be).
   */
  @Test
  void callsOfStreamingOrUnknownShapeStillTakeManyMessagesAndAnEmptyStream() throws Exception {
    Exchange many = fx.start(RecordingUpstream.CLIENT_STREAM, MethodType.CLIENT_STREAMING,
        auth(DEV), CallOptions.DEFAULT);
    for (int i = 0; i < 5; i++) {
      many.call.sendMessage(new byte[] {(byte) i});
    }
    many.call.halfClose();
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, many.single());

    Exchange none = fx.start(RecordingUpstream.CLIENT_STREAM, MethodType.CLIENT_STREAMING,
        auth(DEV), CallOptions.DEFAULT);
    none.call.halfClose();
    assertArrayEquals(new byte[0], none.single());
    assertEquals(List.of(), log.rejections());
    assertBudgetReturned();
  }
}
