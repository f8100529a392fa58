package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.server.RawMarshaller;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast part of issue 9's attacks (reliability/run.sh has the full volumes), against the fat
 * jar's {@code serve} as its own process in front of an upstream that counts what reaches it.
 * The caller holds write on {@code payments} only. One proxy serves every test (starting one
 * costs seconds); each test uses its own connection and counts upstream receipts from its start.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  private static final String SECRET = "secret";
  private static final String POLICY = """
      service_accounts:
        - id: payments-ci
          namespace_scoped: {namespace: payments, permission: write}
      api_keys:
        - id: key-payments-ci
          owner: payments-ci
          sha256: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
      """;
  /** Resets allowed per window in this test (the default is 500 per 10 s). */
  private static final int MAX_RESETS = 100;

  @TempDir
  static Path dir;
  private HostileUpstream upstream;
  private Process proxy;
  private ManagedChannel channel;
  private int port;
  private int adminPort;

  @BeforeAll
  void start() throws Exception {
    upstream = new HostileUpstream();
    port = ItSupport.freePort();
    adminPort = ItSupport.freePort();
    Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
    Path jar = Path.of(System.getProperty("proxy.jar", "../proxy/target/temporal-rbac-proxy.jar"));
    proxy = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString(), "serve", "--policy", policy.toString(),
        "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:" + adminPort,
        "--upstream", "127.0.0.1:" + upstream.port(), "--audit", "off",
        "--max-resets-per-window", String.valueOf(MAX_RESETS), "--shutdown-grace", "1s"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("serve.log").toFile())
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    ItSupport.awaitReady(adminPort, proxy::isAlive, Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    proxy.destroyForcibly();
    upstream.close();
  }

  @Test
  void switchBackBodiesAreDeniedAndNeverForwarded() throws Exception {
    // A oneof member naming billing, another member, then the first member again, empty:
    // protobuf-java keeps billing, so the proxy must read billing too.
    byte[] multi = HexFormat.of().parseHex("0a087061796d656e7473120f0a090a0762696c6c696e6712000a00");
    byte[] task = HexFormat.of().parseHex("4a087061796d656e7473120f6a090a0762696c6c696e6722006a00");
    assertEquals("billing", ExecuteMultiOperationRequest.parseFrom(multi).getOperations(0)
        .getStartWorkflow().getNamespace(), "the body no longer shows protobuf-java's reading");
    assertEquals("billing", RespondWorkflowTaskCompletedRequest.parseFrom(task).getCommands(0)
        .getSignalExternalWorkflowExecutionCommandAttributes().getNamespace());
    int before = upstream.received.get();
    assertEquals(Status.Code.PERMISSION_DENIED, rawCall("ExecuteMultiOperation", multi),
        "how the ExecuteMultiOperation switch-back body was answered");
    assertEquals(Status.Code.PERMISSION_DENIED, rawCall("RespondWorkflowTaskCompleted", task),
        "how the RespondWorkflowTaskCompleted switch-back body was answered");
    assertEquals(before, upstream.received.get(), "a switch-back body reached the upstream");
  }

  @Test
  void twoMessagesOnAUnaryCallEndTheCallPromptly() throws Exception {
    byte[] one = startRequest().toByteArray();
    byte[] framed = HostileH2.message(one.length, one).array();
    try (HostileH2 h2 = new HostileH2(port)) {
      String outcome = within(15, "the end of a unary call with two request messages",
          h2.call(h2.headers(START, "Bearer " + SECRET), Unpooled.wrappedBuffer(framed, framed),
              true));
      assertNotEquals("grpc-status:0", outcome, "a unary call with two requests succeeded");
    }
  }

  @Test
  void aRequestDeclaring120MibIsRefusedBeforeItsBytesArrive() throws Exception {
    int before = upstream.received.get();
    try (HostileH2 h2 = new HostileH2(port)) {
      String outcome = within(15, "an answer to a request declaring 120 MiB",
          h2.call(h2.headers(START, "Bearer " + SECRET),
              HostileH2.message(120 * 1024 * 1024, new byte[1024]), false));
      assertEquals("grpc-status:" + Status.Code.RESOURCE_EXHAUSTED.value(), outcome);
    }
    assertEquals(before, upstream.received.get());
  }

  @Test
  void aKeyWithoutBearerIsUnauthenticated() {
    int before = upstream.received.get();
    Status.Code code;
    try {
      stub(SECRET).startWorkflowExecution(startRequest());
      code = Status.Code.OK;
    } catch (StatusRuntimeException e) {
      code = e.getStatus().getCode();
    }
    assertEquals(Status.Code.UNAUTHENTICATED, code, "how a key without 'Bearer ' was answered");
    assertEquals(before, upstream.received.get());
  }

  @Test
  void aRapidResetBurstGetsGoaway() throws Exception {
    try (HostileH2 h2 = new HostileH2(port)) {
      for (int i = 0; i < 20 && !h2.goAway.isDone() && h2.active(); i++) {
        h2.headersThenReset(h2.headers(START, "Bearer " + SECRET), MAX_RESETS);
      }
      // the proxy sends GOAWAY ENHANCE_YOUR_CALM and closes; a client still writing may get the
      // TCP reset before it reads the GOAWAY, so either one shows the connection was ended
      CompletableFuture<Object> ended = CompletableFuture.anyOf(h2.goAway, h2.closed());
      within(10, "GOAWAY or the connection closed after " + 20 * MAX_RESETS
          + " HEADERS+RST_STREAM pairs", ended);
      if (h2.goAway.isDone()) {
        assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), (long) h2.goAway.get());
      }
    }
  }

  /** The future's value, or a failure saying what did not happen within {@code seconds}. */
  private static <T> T within(int seconds, String what, CompletableFuture<T> future)
      throws Exception {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("did not see " + what + " within " + seconds + " s", e);
    }
  }

  private static StartWorkflowExecutionRequest startRequest() {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace("payments")
        .setWorkflowId("hostile").setRequestId("hostile").build();
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(String authorization) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    return WorkflowServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code body} exactly as given (a stub would re-serialize it and lose the trick) and
   * returns how the call ended.
   */
  private Status.Code rawCall(String method, byte[] body) {
    MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.newBuilder(
        RawMarshaller.INSTANCE, RawMarshaller.INSTANCE).setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("temporal.api.workflowservice.v1.WorkflowService/" + method).build();
    try {
      ClientCalls.blockingUnaryCall(stub("Bearer " + SECRET).getChannel(), descriptor,
          CallOptions.DEFAULT.withDeadlineAfter(15, TimeUnit.SECONDS), body);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
