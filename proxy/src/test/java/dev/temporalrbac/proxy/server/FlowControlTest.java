package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.RecordingUpstream.FLOOD;
import static dev.temporalrbac.proxy.server.RecordingUpstream.FLOOD_MESSAGE_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over Netty on loopback: a writer that sends 64 KiB messages as fast as {@code isReady} lets it,
 * to a reader that takes one message at a time (upstream to client, then client to upstream). The
 * proxy must pass the back-pressure on (what the writer got to send minus what the reader read
 * stays bounded) and then deliver every message intact and in order.
 */
@Timeout(30)
class FlowControlTest {
  private static final int COUNT = 768; // 48 MiB in all
  private static final int READ_FIRST = 16;
  private static final long BOUND = 16L * 1024 * 1024;

  @Test
  void slowReaderHoldsBackTheUpstreamAndThenGetsEverythingInOrder() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder().netty().start()) {
      Exchange ex = fx.startManual(FLOOD, MethodType.SERVER_STREAMING, ProxyFixture.auth(DEV),
          CallOptions.DEFAULT);
      ex.call.sendMessage(ByteBuffer.allocate(4).putInt(COUNT).array());
      ex.call.halfClose();

      long received = 0;
      for (int i = 0; i < READ_FIRST; i++) {
        ex.call.request(1);
        byte[] message = ex.next();
        assertIntact(i, message);
        received += message.length;
      }

      long sent = awaitStall(fx.upstream.floodSentBytes, fx.upstream.floodDone::get);
      assertFalse(fx.upstream.floodDone.get(),
          "the upstream sent all " + COUNT + " messages to a reader that took " + READ_FIRST);
      assertTrue(sent - received < BOUND, "the upstream was let send " + sent
          + " bytes while the client read " + received + ": " + (sent - received)
          + " bytes buffered on the way");

      ex.call.request(Integer.MAX_VALUE);
      for (int i = READ_FIRST; i < COUNT; i++) {
        assertIntact(i, ex.next());
      }
      assertEquals(Status.Code.OK, ex.awaitClose().getCode());
      assertTrue(ex.received.isEmpty(), "more messages than the upstream sent");
      assertEquals((long) COUNT * FLOOD_MESSAGE_BYTES, fx.upstream.floodSentBytes.get());
    }
  }

  private static void assertIntact(int index, byte[] message) {
    assertEquals(FLOOD_MESSAGE_BYTES, message.length, "size of message " + index);
    assertEquals(index, ByteBuffer.wrap(message).getInt(), "message out of order");
    assertArrayEquals(RecordingUpstream.floodMessage(index), message, "content of message " + index);
  }

  /** The other direction: a client writing as fast as isReady allows to a slow upstream reader. */
  @Test
  void slowUpstreamReaderHoldsBackTheClientAndThenGetsEverythingInOrder() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder().netty().start()) {
      Pump pump = new Pump();
      pump.call = fx.channel().newCall(
          ProxyFixture.method(RecordingUpstream.SINK, MethodType.CLIENT_STREAMING),
          CallOptions.DEFAULT);
      pump.call.start(pump, ProxyFixture.auth(DEV));
      pump.call.request(1);

      ServerCallStreamObserver<byte[]> sink = fx.upstream.sink.get(20, TimeUnit.SECONDS);
      long received = 0;
      for (int i = 0; i < READ_FIRST; i++) {
        sink.request(1);
        byte[] message = take(fx.upstream.sinkReceived);
        assertIntact(i, message);
        received += message.length;
      }

      long sent = awaitStall(pump.sentBytes, pump.done::get);
      assertFalse(pump.done.get(),
          "the client sent all " + COUNT + " messages to an upstream that read " + READ_FIRST);
      assertTrue(sent - received < BOUND, "the client was let send " + sent
          + " bytes while the upstream read " + received + ": " + (sent - received)
          + " bytes buffered on the way");

      sink.request(Integer.MAX_VALUE);
      for (int i = READ_FIRST; i < COUNT; i++) {
        assertIntact(i, take(fx.upstream.sinkReceived));
      }
      assertEquals(Status.Code.OK, pump.status.get(20, TimeUnit.SECONDS).getCode());
      assertTrue(fx.upstream.sinkReceived.isEmpty(), "more messages than the client sent");
    }
  }

  /** Sends the Flood messages whenever the call is ready; callbacks are serialized by gRPC. */
  private static final class Pump extends ClientCall.Listener<byte[]> {
    ClientCall<byte[], byte[]> call;
    final AtomicLong sentBytes = new AtomicLong();
    final AtomicBoolean done = new AtomicBoolean();
    final CompletableFuture<Status> status = new CompletableFuture<>();
    private int next;

    @Override
    public void onReady() {
      while (call.isReady() && next < COUNT) {
        call.sendMessage(RecordingUpstream.floodMessage(next++));
        sentBytes.addAndGet(FLOOD_MESSAGE_BYTES);
      }
      if (next == COUNT && done.compareAndSet(false, true)) {
        call.halfClose();
      }
    }

    @Override
    public void onClose(Status value, Metadata trailers) {
      status.complete(value);
    }
  }

  private static byte[] take(BlockingQueue<byte[]> queue) throws InterruptedException {
    byte[] message = queue.poll(20, TimeUnit.SECONDS);
    assertNotNull(message, "no message within 20s");
    return message;
  }

  /**
   * Waits until the writer stops getting to send ({@code sent} unchanged over several polls) or
   * has sent everything; returns the bytes sent. A stall cannot be signalled by a latch: it is the
   * absence of events, so this polls. A false early "stall" only makes the bound easier to meet
   * for a correct proxy; an unbounded proxy never stalls and ends with everything sent.
   */
  private static long awaitStall(AtomicLong sent, BooleanSupplier done)
      throws InterruptedException {
    long last = -1;
    int stable = 0;
    while (stable < 6 && !done.getAsBoolean()) {
      Thread.sleep(50);
      long now = sent.get();
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
    return sent.get();
  }
}
