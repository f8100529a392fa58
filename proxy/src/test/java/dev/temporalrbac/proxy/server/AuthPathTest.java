package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static dev.temporalrbac.proxy.server.ProxyFixture.WS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.temporalrbac.proxy.server.ProxyFixture.Exchange;
import io.grpc.Metadata;
import io.grpc.Status;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every status of the auth path, as the caller sees it through the proxy: the code and a message
 * saying what was missing. Denied calls never reach the upstream. The clock is after k-expired's
 * expiry (2030-01-01).
 */
@Timeout(30)
class AuthPathTest {
  private static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ProxyFixture.builder()
        .clock(Clock.fixed(Instant.parse("2030-06-01T00:00:00Z"), ZoneOffset.UTC)).start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static byte[] start(String namespace) {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
        .setWorkflowId("w1").build().toByteArray();
  }

  /** Asserts the call was denied with {@code code}, a message holding every word, and never forwarded. */
  private void assertDenied(Exchange ex, Status.Code code, String... words) {
    Status status = ex.awaitClose();
    assertEquals(code, status.getCode(), () -> "status " + status);
    String message = status.getDescription() == null ? "" : status.getDescription();
    for (String word : words) {
      assertTrue(message.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT)),
          () -> "message '" + message + "' lacks '" + word + "'");
    }
    assertTrue(ex.messages().isEmpty());
    assertTrue(fx.upstream.calls().isEmpty(), "a denied call reached the upstream");
  }

  @Test
  void noKeyIsUnauthenticated() {
    assertDenied(fx.unary((String) null, START, start("orders")),
        Status.Code.UNAUTHENTICATED, "no credentials", "authorization");
  }

  private static Metadata authorization(String value) {
    Metadata headers = new Metadata();
    headers.put(ProxyFixture.AUTHORIZATION, value);
    return headers;
  }

  @Test
  void bearerSchemeIsCaseInsensitiveAndTakesOneOrMoreSpaces() {
    for (String value : List.of("bearer " + DEV, "BEARER  " + DEV, "Bearer " + DEV + " ")) {
      Exchange ex = fx.unary(authorization(value), START, start("orders"));
      assertEquals(Status.Code.OK, ex.awaitClose().getCode(), value);
    }
    assertEquals(3, fx.upstream.calls().size());
  }

  @Test
  void anyOtherAuthorizationFormIsUnauthenticatedAndShowsTheExpectedOne() {
    for (String value : List.of(DEV, "Basic " + DEV, "Bearer", "Bearer ", "Bearer\t" + DEV,
        "Bearer " + DEV + " extra", "Bearer" + DEV)) {
      Exchange ex = fx.unary(authorization(value), START, start("orders"));
      assertDenied(ex, Status.Code.UNAUTHENTICATED, "authorization header",
          "'authorization: Bearer <api key>'");
      String message = ex.awaitClose().getDescription();
      assertTrue(!message.contains(DEV), () -> "the message shows the credential: " + message);
    }
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    assertDenied(fx.unary("no-such-secret", START, start("orders")),
        Status.Code.UNAUTHENTICATED, "API key", "not in the policy");
  }

  @Test
  void disabledKeyIsUnauthenticatedAndSaysDisabled() {
    assertDenied(fx.unary(ProxyFixture.DISABLED, START, start("orders")),
        Status.Code.UNAUTHENTICATED, "k-disabled", "disabled");
  }

  @Test
  void expiredKeyIsUnauthenticatedAndSaysExpired() {
    assertDenied(fx.unary(ProxyFixture.EXPIRED, START, start("orders")),
        Status.Code.UNAUTHENTICATED, "k-expired", "expired", "2030-01-01");
  }

  @Test
  void wrongNamespaceNamesPrincipalMethodNamespaceAndMissingPermission() {
    assertDenied(fx.unary(DEV, START, start("payments")), Status.Code.PERMISSION_DENIED,
        "dev@example.com", "StartWorkflowExecution", "payments", "write");
  }

  @Test
  void childWorkflowInForeignNamespaceIsDenied() {
    byte[] body = RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("orders")
        .addCommands(Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION)
            .setStartChildWorkflowExecutionCommandAttributes(
                StartChildWorkflowExecutionCommandAttributes.newBuilder()
                    .setNamespace("payments").setWorkflowId("child")))
        .build().toByteArray();
    assertDenied(fx.unary(DEV, WS + "RespondWorkflowTaskCompleted", body),
        Status.Code.PERMISSION_DENIED, "dev@example.com", "RespondWorkflowTaskCompleted",
        "payments", "write");
  }

  @Test
  void multiOperationWithForeignInnerRequestIsDenied() {
    byte[] body = ExecuteMultiOperationRequest.newBuilder().setNamespace("orders")
        .addOperations(ExecuteMultiOperationRequest.Operation.newBuilder()
            .setStartWorkflow(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace("payments").setWorkflowId("w1")))
        .build().toByteArray();
    assertDenied(fx.unary(DEV, WS + "ExecuteMultiOperation", body),
        Status.Code.PERMISSION_DENIED, "ExecuteMultiOperation", "payments");
  }

  @Test
  void nestedOwnNamespaceIsAllowedAndForwardedByteIdentical() {
    byte[] body = ExecuteMultiOperationRequest.newBuilder().setNamespace("orders")
        .addOperations(ExecuteMultiOperationRequest.Operation.newBuilder()
            .setStartWorkflow(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace("orders").setWorkflowId("w1")))
        .build().toByteArray();
    assertEquals(Status.Code.OK,
        fx.unary(DEV, WS + "ExecuteMultiOperation", body).awaitClose().getCode());
    assertArrayEquals(body, fx.upstream.calls().get(0).requests.get(0));
  }

  /** StartWorkflowExecutionRequest with field 1 (namespace) written twice, then workflow_id. */
  private static byte[] twoNamespaces(String first, String second) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(StartWorkflowExecutionRequest.NAMESPACE_FIELD_NUMBER, first);
    out.writeString(StartWorkflowExecutionRequest.NAMESPACE_FIELD_NUMBER, second);
    out.writeString(StartWorkflowExecutionRequest.WORKFLOW_ID_FIELD_NUMBER, "w1");
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void everyOccurrenceOfARepeatedNamespaceFieldIsAuthorized() throws IOException {
    // protobuf keeps the last occurrence, but PERMISSIONS.md section 5 counts every one, so the
    // foreign namespace is denied whichever comes last and nothing reaches the upstream.
    byte[] foreignLast = twoNamespaces("orders", "payments");
    byte[] foreignFirst = twoNamespaces("payments", "orders");
    assertEquals("orders", StartWorkflowExecutionRequest.parseFrom(foreignFirst).getNamespace());
    assertDenied(fx.unary(DEV, START, foreignLast), Status.Code.PERMISSION_DENIED, "payments");
    assertDenied(fx.unary(DEV, START, foreignFirst), Status.Code.PERMISSION_DENIED, "payments");
    assertTrue(fx.upstream.calls().isEmpty());

    byte[] sameTwice = twoNamespaces("orders", "orders");
    assertEquals(Status.Code.OK, fx.unary(DEV, START, sameTwice).awaitClose().getCode());
    assertArrayEquals(sameTwice, fx.upstream.calls().get(0).requests.get(0));
  }

  @Test
  void namespaceHeaderNamingForeignNamespaceIsDenied() {
    Metadata headers = ProxyFixture.auth(DEV);
    headers.put(NAMESPACE_HEADER, "payments");
    assertDenied(fx.unary(headers, START, start("orders")), Status.Code.PERMISSION_DENIED,
        "dev@example.com", "payments", "write");
  }

  /**
   * Two {@code temporal-namespace} values are both forwarded, but only the last one is
   * authorized (Metadata.get); the Temporal server reads the first one (Go: md.Get(key)[0]).
   */
  @Test
  void everyNamespaceHeaderValueIsAuthorized() {
    Metadata headers = ProxyFixture.auth(DEV);
    headers.put(NAMESPACE_HEADER, "payments");
    headers.put(NAMESPACE_HEADER, "orders");
    assertDenied(fx.unary(headers, START, start("orders")), Status.Code.PERMISSION_DENIED,
        "payments");
  }

  @Test
  void unknownTemporalMethodIsDeniedFailClosed() {
    assertDenied(fx.unary(DEV, WS + "NoSuchMethod", start("orders")),
        Status.Code.PERMISSION_DENIED, "no rule", "NoSuchMethod", "fail closed");
  }

  @Test
  void unknownServiceIsDeniedFailClosed() {
    assertDenied(fx.unary(ProxyFixture.ADMIN, "foo.Bar/Baz", new byte[] {1, 2, 3}),
        Status.Code.PERMISSION_DENIED, "no rule", "foo.Bar/Baz", "fail closed");
  }

  @Test
  void unreadableBodyIsInvalidArgument() {
    byte[] full = start("orders");
    byte[] truncated = Arrays.copyOf(full, 4);
    assertDenied(fx.unary(DEV, START, truncated), Status.Code.INVALID_ARGUMENT,
        "could not be read", "StartWorkflowExecutionRequest");
  }

  @Test
  void publicMethodPassesWithoutKey() {
    byte[] body = GetSystemInfoRequest.getDefaultInstance().toByteArray();
    assertEquals(Status.Code.OK,
        fx.unary((String) null, ProxyFixture.SYSTEM_INFO, body).awaitClose().getCode());
    assertEquals(1, fx.upstream.calls().size());
    assertEquals(ProxyFixture.SYSTEM_INFO, fx.upstream.calls().get(0).method);
  }

  @Test
  void authenticatedOnlyMethodNeedsAKey() {
    assertDenied(fx.unary((String) null, ProxyFixture.CLUSTER_INFO, new byte[0]),
        Status.Code.UNAUTHENTICATED, "no credentials");
  }
}
