package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static dev.temporalrbac.proxy.server.ProxyFixture.auth;
import static dev.temporalrbac.proxy.server.ProxyFixture.randomBytes;
import static dev.temporalrbac.proxy.server.RecordingUpstream.BIDI;
import static dev.temporalrbac.proxy.server.RecordingUpstream.CLIENT_STREAM;
import static dev.temporalrbac.proxy.server.RecordingUpstream.SERVER_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.UnknownFieldSet;
import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Allowed calls pass byte for byte, both ways, with their metadata; denied calls never arrive. */
@Timeout(30)
class ForwardingTest {
  private static final Metadata.Key<String> CUSTOM =
      Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> BIN =
      Metadata.Key.of("x-bin-bin", Metadata.BINARY_BYTE_MARSHALLER);
  private static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> RESP_HEADER =
      Metadata.Key.of("x-resp", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> RESP_HEADER_BIN =
      Metadata.Key.of("x-resp-bin", Metadata.BINARY_BYTE_MARSHALLER);
  private static final Metadata.Key<String> TRAILER =
      Metadata.Key.of("x-trailer", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ProxyFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  /** A request the proxy must not re-encode: it carries a field the schema does not know. */
  static byte[] startRequest(String namespace) {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace).setWorkflowId("w1")
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(999,
            UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build())
        .build().toByteArray();
  }

  private static Metadata callerHeaders() {
    Metadata headers = auth(DEV);
    headers.put(CUSTOM, "1");
    headers.put(BIN, new byte[] {0, 1, 2, (byte) 0xff});
    headers.put(REQUEST_ID, "req-42");
    return headers;
  }

  @Test
  void allowedUnaryArrivesByteIdenticalWithItsMetadataAndItsResponseComesBackUnchanged() {
    byte[] response = randomBytes(300);
    byte[] headerBin = {9, 8, 7};
    fx.upstream.on(START, (call, request) -> {
      Metadata headers = new Metadata();
      headers.put(RESP_HEADER, "r1");
      headers.put(RESP_HEADER_BIN, headerBin);
      call.sendHeaders(headers);
      call.sendMessage(response);
      Metadata trailers = new Metadata();
      trailers.put(TRAILER, "t1");
      call.close(Status.OK, trailers);
    });
    byte[] request = startRequest("orders");

    Exchange ex = fx.unary(callerHeaders(), START, request);

    assertEquals(Status.Code.OK, ex.awaitClose().getCode());
    assertArrayEquals(response, ex.single());
    Metadata gotHeaders = ex.headers.join();
    assertEquals("r1", gotHeaders.get(RESP_HEADER));
    assertArrayEquals(headerBin, gotHeaders.get(RESP_HEADER_BIN));
    assertEquals("t1", ex.trailers().get(TRAILER));

    assertEquals(1, fx.upstream.calls().size());
    RecordingUpstream.Call arrived = fx.upstream.calls().get(0);
    assertEquals(START, arrived.method);
    assertEquals(1, arrived.requests.size());
    assertArrayEquals(request, arrived.requests.get(0));
    assertEquals("1", arrived.headers.get(CUSTOM));
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, arrived.headers.get(BIN));
    assertEquals("req-42", arrived.headers.get(REQUEST_ID));
    assertEquals("Bearer " + DEV, arrived.headers.get(ProxyFixture.AUTHORIZATION));
  }

  @Test
  void upstreamErrorStatusDescriptionDetailsAndTrailersComeBackUnchanged() {
    byte[] details = com.google.rpc.Status.newBuilder().setCode(Status.Code.NOT_FOUND.value())
        .setMessage("workflow w1 not found")
        .addDetails(Any.pack(NotFoundFailure.newBuilder().setCurrentCluster("c1").build()))
        .build().toByteArray();
    fx.upstream.on(START, (call, request) -> {
      Metadata trailers = new Metadata();
      trailers.put(DETAILS, details);
      trailers.put(TRAILER, "t-err");
      call.close(Status.NOT_FOUND.withDescription("workflow w1 not found"), trailers);
    });

    Exchange ex = fx.unary(callerHeaders(), START, startRequest("orders"));

    Status status = ex.awaitClose();
    assertEquals(Status.Code.NOT_FOUND, status.getCode());
    assertEquals("workflow w1 not found", status.getDescription());
    assertArrayEquals(details, ex.trailers().get(DETAILS));
    assertEquals("t-err", ex.trailers().get(TRAILER));
    assertTrue(ex.messages().isEmpty());
    assertEquals(1, fx.upstream.calls().size());
  }

  @Test
  void serverStreamingIsForwardedByteIdenticalBothWays() {
    byte[] request = {3, (byte) 200, 0, 50, 7, (byte) 255};
    Exchange ex = fx.start(SERVER_STREAM, MethodType.SERVER_STREAMING, auth(DEV),
        CallOptions.DEFAULT);
    ex.call.sendMessage(request);
    ex.call.halfClose();

    assertEquals(Status.Code.OK, ex.awaitClose().getCode());
    RecordingUpstream.Call arrived = fx.upstream.calls().get(0);
    assertEquals(1, arrived.requests.size());
    assertArrayEquals(request, arrived.requests.get(0));
    assertSameBytes(arrived.responses, ex.messages());
    assertEquals(request.length, arrived.responses.size());
  }

  @Test
  void clientStreamingIsForwardedByteIdenticalBothWays() {
    List<byte[]> sent = List.of(randomBytes(10), new byte[0], randomBytes(100_000),
        randomBytes(1), randomBytes(5000));
    Exchange ex = fx.start(CLIENT_STREAM, MethodType.CLIENT_STREAMING, auth(DEV),
        CallOptions.DEFAULT);
    sent.forEach(ex.call::sendMessage);
    ex.call.halfClose();

    assertEquals(Status.Code.OK, ex.awaitClose().getCode());
    RecordingUpstream.Call arrived = fx.upstream.calls().get(0);
    assertSameBytes(sent, arrived.requests);
    assertSameBytes(arrived.responses, ex.messages());
    assertEquals(1, arrived.responses.size());
  }

  @Test
  void bidiStreamingIsForwardedByteIdenticalBothWaysMessageByMessage() {
    Exchange ex = fx.start(BIDI, MethodType.BIDI_STREAMING, auth(DEV), CallOptions.DEFAULT);
    List<byte[]> sent = List.of(randomBytes(1), randomBytes(70_000), new byte[0],
        randomBytes(33));
    for (int i = 0; i < sent.size(); i++) {
      ex.call.sendMessage(sent.get(i));
      byte[] echoed = ex.next();
      assertArrayEquals(RecordingUpstream.reversed(sent.get(i)), echoed, "response " + i);
    }
    ex.call.halfClose();

    assertEquals(Status.Code.OK, ex.awaitClose().getCode());
    RecordingUpstream.Call arrived = fx.upstream.calls().get(0);
    assertSameBytes(sent, arrived.requests);
    assertEquals(sent.size(), arrived.responses.size());
  }

  @Test
  void deniedUnaryCallNeverArrives() {
    Exchange ex = fx.unary(callerHeaders(), START, startRequest("payments"));

    assertEquals(Status.Code.PERMISSION_DENIED, ex.awaitClose().getCode());
    assertTrue(fx.upstream.calls().isEmpty());
  }

  @Test
  void theProxysOwnMethodsAreNeverForwardedEvenForAnAdmin() {
    Exchange ex = fx.unary(auth(ProxyFixture.ADMIN),
        "temporalrbac.v1.PolicyAdmin/GetPolicyStatus", new byte[0]);

    assertEquals(Status.Code.UNIMPLEMENTED, ex.awaitClose().getCode());
    assertTrue(fx.upstream.calls().isEmpty());
  }

  @Test
  void deniedStreamingCallsNeverArrive() {
    Exchange server = fx.start(SERVER_STREAM, MethodType.SERVER_STREAMING, auth(null),
        CallOptions.DEFAULT);
    server.call.sendMessage(new byte[] {1, 2});
    server.call.halfClose();
    Exchange client = fx.start(CLIENT_STREAM, MethodType.CLIENT_STREAMING, auth("wrong"),
        CallOptions.DEFAULT);
    client.call.sendMessage(randomBytes(10));
    client.call.sendMessage(randomBytes(10));
    client.call.halfClose();
    Exchange bidi = fx.start(BIDI, MethodType.BIDI_STREAMING, auth(ProxyFixture.DISABLED),
        CallOptions.DEFAULT);
    bidi.call.sendMessage(randomBytes(10));

    for (Exchange ex : List.of(server, client, bidi)) {
      assertEquals(Status.Code.UNAUTHENTICATED, ex.awaitClose().getCode());
      assertTrue(ex.messages().isEmpty());
    }
    assertTrue(fx.upstream.calls().isEmpty());
  }

  static void assertSameBytes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "message count");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "message " + i);
    }
  }
}
