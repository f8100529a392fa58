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
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request memory is bounded: a message over {@code limits.max_request_bytes} (declared, or once
 * inflated) ends RESOURCE_EXHAUSTED unforwarded; past {@code limits.request_buffer_bytes} new
 * calls are refused before their bytes are read, and the budget comes back whole; a request that
 * does not arrive within {@code limits.first_message_timeout} ends the call. Over Netty, with
 * every buffer checked for leaks.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class RequestLimitsTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  private final RejectionLog log = new RejectionLog();
  private ProxyFixture fx;
  private ManagedChannel gzipChannel;

  private ProxyFixture proxy(String... settings) throws Exception {
    ProxyFixture.Builder builder = ProxyFixture.builder().netty().observer(log);
    for (int i = 0; i < settings.length; i += 2) {
      builder.setting(settings[i], settings[i + 1]);
    }
    fx = builder.start();
    return fx;
  }

  @AfterEach
  void stop() throws Exception {
    if (gzipChannel != null) {
      gzipChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    fx.close();
  }

  private void awaitReserved(long bytes) throws InterruptedException {
    for (int i = 0; i < 500 && fx.registry.requestBufferBytesInUse() != bytes; i++) {
      Thread.sleep(10);
    }
    assertEquals(bytes, fx.registry.requestBufferBytesInUse(), "request budget reserved");
  }

  /**
   * A call to the unary START whose headers go out at once: the client descriptor says
   * bidi-streaming (a unary client call would hold its headers until the message), which the
   * proxy never sees; to the proxy it is START, unary.
   */
  private Exchange holder() {
    return fx.start(START, MethodType.BIDI_STREAMING, auth(DEV), CallOptions.DEFAULT);
  }

  private void assertNormalCallPasses() {
    fx.upstream.on(START, RecordingUpstream.reply(new byte[] {7}));
    assertArrayEquals(new byte[] {7},
        fx.unary(DEV, START, ForwardingTest.startRequest("orders")).single());
  }

  // ---- size --------------------------------------------------------------------------------

  @Test
  void aRequestDeclaring120MibIsRefusedByItsHeaderAndNeverDecided() throws Exception {
    proxy(); // the default limit, 4 MiB
    Status status = sendRaw(new ZeroStream(120 * MIB));

    ProxyFixture.assertStatus(status, Status.Code.RESOURCE_EXHAUSTED, String.valueOf(4 * MIB));
    assertTrue(log.decisions.isEmpty(), "an oversized request was decided");
    assertTrue(fx.upstream.calls().isEmpty(), "an oversized request reached the upstream");
    awaitReserved(0);
    assertNormalCallPasses();
  }

  @Test
  void aGzipBombIsRefusedResourceExhaustedNamingTheSetting() throws Exception {
    proxy("max-request-bytes", String.valueOf(MIB));
    byte[] bomb = PrecompressedGzip.gzipZeros(64 * MIB); // about 64 KiB on the wire

    Exchange ex = startGzip(START);
    ex.call.sendMessage(bomb);
    ex.call.halfClose();

    ProxyFixture.assertStatus(ex.awaitClose(), Status.Code.RESOURCE_EXHAUSTED, "limits.max_request_bytes",
        String.valueOf(MIB));
    assertTrue(log.decisions.isEmpty(), "a gzip bomb was decided");
    assertTrue(fx.upstream.calls().isEmpty(), "a gzip bomb reached the upstream");
    assertEquals(List.of(Rejection.REQUEST_TOO_LARGE), log.rejections());
    awaitReserved(0);
    assertNormalCallPasses();
  }

  @Test
  void aCompressedRequestWithinTheLimitArrivesInflated() throws Exception {
    proxy("max-request-bytes", String.valueOf(MIB));
    byte[] request = randomBytes(200 * KIB);

    Exchange ex = startGzip(RecordingUpstream.UNARY);
    ex.call.sendMessage(PrecompressedGzip.gzip(request));
    ex.call.halfClose();

    assertArrayEquals(RecordingUpstream.reversed(request), ex.single());
    assertArrayEquals(request, fx.upstream.calls().get(0).requests.get(0));
  }

  // ---- budget ------------------------------------------------------------------------------

  @Test
  void pastTheBudgetNewCallsAreRefusedAndTheBudgetComesBackWhole() throws Exception {
    proxy("max-request-bytes", String.valueOf(64 * KIB),
        "request-buffer-bytes", String.valueOf(3 * 64 * KIB));
    List<Exchange> holders = List.of(holder(), holder(), holder());
    awaitReserved(3 * 64 * KIB);

    Exchange refused = holder();
    ProxyFixture.assertStatus(refused.awaitClose(), Status.Code.RESOURCE_EXHAUSTED,
        "limits.request_buffer_bytes", String.valueOf(3 * 64 * KIB));
    assertEquals(List.of(Rejection.REQUEST_BUDGET), log.rejections());

    for (Exchange h : holders) {
      h.call.sendMessage(ForwardingTest.startRequest("orders"));
      h.call.halfClose();
    }
    for (Exchange h : holders) {
      assertEquals(Status.Code.OK, h.awaitClose().getCode());
    }
    awaitReserved(0);
    assertEquals(3, fx.upstream.calls().size(), "the refused call reached the upstream");
    assertNormalCallPasses();
  }

  @Test
  void callsWithoutAUsableCredentialAreRefusedAtTheirHeadersAndReserveNothing() throws Exception {
    proxy("max-request-bytes", String.valueOf(64 * KIB),
        "request-buffer-bytes", String.valueOf(64 * KIB));
    Metadata basic = new Metadata();
    basic.put(UpstreamCredentials.AUTHORIZATION, "Basic " + DEV);
    for (Metadata headers : List.of(auth(null), basic, auth("not-a-key"), auth(null), basic)) {
      Exchange refused = fx.start(START, MethodType.BIDI_STREAMING, headers, CallOptions.DEFAULT);
      assertEquals(Status.Code.UNAUTHENTICATED, refused.awaitClose().getCode());
    }
    awaitReserved(0);
    assertNormalCallPasses();
    assertEquals(1, fx.upstream.calls().size());
  }

  @Test
  void normalCallsKeepPassingWhileTheBudgetIsContended() throws Exception {
    proxy("max-request-bytes", String.valueOf(64 * KIB),
        "request-buffer-bytes", String.valueOf(3 * 64 * KIB));
    List<Exchange> holders = List.of(holder(), holder());
    awaitReserved(2 * 64 * KIB);

    for (int i = 0; i < 20; i++) {
      assertNormalCallPasses();
    }
    holders.forEach(h -> h.call.cancel("done", null));
    awaitReserved(0);
    assertEquals(List.of(), log.rejections());
  }

  @Test
  void everyWayACallEndsGivesItsReservationBack() throws Exception {
    proxy("max-request-bytes", String.valueOf(64 * KIB),
        "request-buffer-bytes", String.valueOf(2 * 64 * KIB));
    assertNormalCallPasses(); // forwarded
    assertEquals(Status.Code.UNAUTHENTICATED,
        fx.unary((String) null, START, ForwardingTest.startRequest("orders")).awaitClose()
            .getCode()); // denied
    Exchange twice = holder();
    twice.call.sendMessage(ForwardingTest.startRequest("orders"));
    twice.call.sendMessage(ForwardingTest.startRequest("orders"));
    assertEquals(Status.Code.INTERNAL, twice.awaitClose().getCode()); // wrong shape
    Exchange cancelled = holder();
    cancelled.call.sendMessage(ForwardingTest.startRequest("orders"));
    awaitReserved(64 * KIB);
    cancelled.call.cancel("caller gives up", null); // cancelled while held
    awaitReserved(0);
    Exchange streaming = fx.start(RecordingUpstream.BIDI, MethodType.BIDI_STREAMING, auth(DEV),
        CallOptions.DEFAULT);
    streaming.call.sendMessage(new byte[] {1, 2});
    assertArrayEquals(new byte[] {2, 1}, streaming.next());
    awaitReserved(64 * KIB); // waiting for its next message
    streaming.call.halfClose();
    assertEquals(Status.Code.OK, streaming.awaitClose().getCode());
    awaitReserved(0);
    // the budget holds two: had any call kept its room, these would be refused
    assertNormalCallPasses();
    assertNormalCallPasses();
  }

  // ---- first-message timeout ---------------------------------------------------------------

  @Test
  void aCallThatSendsNothingIsEndedAndItsRoomGivenBack() throws Exception {
    proxy("first-message-timeout", "300ms");
    Exchange silent = holder();

    ProxyFixture.assertStatus(silent.awaitClose(), Status.Code.DEADLINE_EXCEEDED,
        "limits.first_message_timeout", "300 ms");
    assertEquals(List.of(Rejection.FIRST_MESSAGE_TIMEOUT), log.rejections());
    assertTrue(fx.upstream.calls().isEmpty());
    awaitReserved(0);
  }

  @Test
  void aUnaryRequestWithoutItsEndOfStreamIsEndedUnforwarded() throws Exception {
    proxy("first-message-timeout", "300ms");
    Exchange unended = holder();
    unended.call.sendMessage(ForwardingTest.startRequest("orders"));

    ProxyFixture.assertStatus(unended.awaitClose(), Status.Code.DEADLINE_EXCEEDED,
        "limits.first_message_timeout");
    assertTrue(fx.upstream.calls().isEmpty());
    awaitReserved(0);
  }

  @Test
  void aCallWhoseRequestArrivedMayOutliveTheTimeout() throws Exception {
    proxy("first-message-timeout", "300ms");
    CompletableFuture<Void> answer = new CompletableFuture<>();
    fx.upstream.on(START, (call, request) -> answer.thenRun(() -> {
      call.sendHeaders(new Metadata());
      call.sendMessage(new byte[] {9});
      call.close(Status.OK, new Metadata());
    }));
    Exchange poll = fx.start(START, MethodType.UNARY, auth(DEV), CallOptions.DEFAULT);
    poll.call.sendMessage(ForwardingTest.startRequest("orders"));
    poll.call.halfClose();
    fx.upstream.awaitCall(1, java.time.Duration.ofSeconds(10));
    awaitReserved(0); // handed to a connected upstream: a held long poll holds no budget
    Thread.sleep(800); // well past the timeout (and the timer's tick): the call must stay open
    answer.complete(null);

    assertArrayEquals(new byte[] {9}, poll.single());
    assertEquals(List.of(), log.rejections());
    awaitReserved(0); // the answer gave the room back
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** A unary call through a channel whose "gzip" sends the (already gzipped) bytes it is given. */
  private Exchange startGzip(String method) {
    gzipChannel = NettyChannelBuilder.forAddress("127.0.0.1", fx.port()).usePlaintext()
        .compressorRegistry(PrecompressedGzip.registry()).build();
    ClientCall<byte[], byte[]> call = gzipChannel.newCall(
        ProxyFixture.method(method, MethodType.UNARY), CallOptions.DEFAULT.withCompression("gzip"));
    Exchange exchange = new Exchange(call);
    call.start(exchange, auth(DEV));
    call.request(1);
    return exchange;
  }

  /** Sends one request whose bytes come from {@code body} (never held whole by the client). */
  private Status sendRaw(InputStream body) {
    MethodDescriptor.Marshaller<InputStream> asIs = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(InputStream value) {
        return value;
      }

      @Override
      public InputStream parse(InputStream stream) {
        return stream;
      }
    };
    MethodDescriptor<InputStream, byte[]> method = MethodDescriptor
        .newBuilder(asIs, RawMarshaller.INSTANCE).setFullMethodName(START)
        .setType(MethodType.UNARY).build();
    ClientCall<InputStream, byte[]> call = fx.channel().newCall(method, CallOptions.DEFAULT);
    CompletableFuture<Status> status = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status value, Metadata trailers) {
        status.complete(value);
      }
    }, auth(DEV));
    call.request(1);
    call.sendMessage(body);
    call.halfClose();
    return status.orTimeout(30, TimeUnit.SECONDS).join();
  }
}
