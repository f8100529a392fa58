package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation through {@code serve} (in this JVM, in front of a port-bound Temporal test
 * server): the identity provider's JWKS endpoint ({@link TestJwks}) switches to a new key, and a
 * token naming the new {@code kid} is accepted without a restart, once the refetch it triggers
 * has landed; the retired key is no longer trusted; then the endpoint goes down and tokens of the
 * last keys fetched still pass. The periodic refresh is set to an hour, so every change seen here
 * comes from the refetch an unknown {@code kid} asks for.
 */
@Timeout(120)
class JwksRotationEndToEndTest {
  private static final String POLICY = """
      # JwksRotationEndToEndTest: callers are token users whose permissions claim grants read.
      service_accounts:
        - id: unused-account
          namespace_scoped: {namespace: orders, permission: read}
      """;
  private static final Duration REFETCH_DEADLINE = Duration.ofSeconds(20);
  private static final RSAKey FIRST = TestJwks.rsaKey("rotation-1");
  private static final RSAKey SECOND = TestJwks.rsaKey("rotation-2");
  /** A key the endpoint never publishes. */
  private static final RSAKey STRANGER = TestJwks.rsaKey("rotation-never-published");

  private static TestJwks idp;
  private static TestServer.PortBoundTestServer temporal;
  private static InJvmProxy proxy;
  private static ManagedChannel channel;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    idp = TestJwks.serving(FIRST);
    int temporalPort = ItSupport.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    Path policy = Files.writeString(dir.resolve("rotation-policy.yaml"), POLICY);
    proxy = InJvmProxy.start(dir, policy, "127.0.0.1:" + temporalPort, "--jwks", idp.url(),
        "--jwt-issuer", TestJwks.ISSUER, "--jwt-audience", TestJwks.AUDIENCE,
        "--jwks-refresh-interval", "60m", "--jwks-refetch-interval", "200ms");
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (proxy != null) {
      proxy.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void aRotatedKeyIsAcceptedWithoutRestartAndTheLastKeysOutliveTheEndpoint() {
    assertEquals(Status.Code.OK, describe(token(FIRST)), "the first key before any rotation");
    int fetches = idp.served();
    double unknownKeys = proxy.metric("temporal_rbac_authentication_failures_total",
        ItSupport.label("reason", "token_unknown_key"));

    idp.publish(SECOND);
    String rotated = token(SECOND);
    ItSupport.await("a token of the new key to be accepted", REFETCH_DEADLINE,
        () -> acceptedOrUnauthenticated(rotated));
    assertTrue(idp.served() > fetches, "the new key was used before the JWKS was fetched again");
    assertEquals(Status.Code.UNAUTHENTICATED, describe(token(FIRST)),
        "a token of the retired key is still trusted");
    assertTrue(proxy.metric("temporal_rbac_authentication_failures_total",
        ItSupport.label("reason", "token_unknown_key")) > unknownKeys, proxy.metrics());

    idp.down(true);
    String unknown = token(STRANGER);
    ItSupport.await("a refetch to find the endpoint down", REFETCH_DEADLINE, () -> {
      assertEquals(Status.Code.UNAUTHENTICATED, describe(unknown), "a never-published key");
      return idp.refused() > 0;
    });
    assertEquals(Status.Code.OK, describe(rotated), "the last keys were dropped with the endpoint");
    assertEquals(Status.Code.OK, describe(token(SECOND)),
        "a new token of the last keys is refused while the endpoint is down");
  }

  @Test
  void anUnknownKeyIsRefusedNamingItsKeyId() {
    RSAKey never = TestJwks.rsaKey("kid-" + UUID.randomUUID());
    StatusRuntimeException refused = ItSupport.refused(Status.Code.UNAUTHENTICATED,
        () -> stub(token(never)).describeNamespace(request()));
    String message = String.valueOf(refused.getStatus().getDescription());
    assertTrue(message.contains(never.getKeyID()), "the message should name the unknown kid: "
        + message);
  }

  /** True once {@code token} is accepted; fails on any refusal but UNAUTHENTICATED. */
  private static boolean acceptedOrUnauthenticated(String token) {
    Status.Code code = describe(token);
    if (code != Status.Code.OK) {
      assertEquals(Status.Code.UNAUTHENTICATED, code, "while the new key is being fetched");
    }
    return code == Status.Code.OK;
  }

  /** DescribeNamespace on orders with {@code token}: the status it ends with. */
  private static Status.Code describe(String token) {
    try {
      stub(token).describeNamespace(request());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static DescribeNamespaceRequest request() {
    return DescribeNamespaceRequest.newBuilder().setNamespace("orders").build();
  }

  private static WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return WorkflowServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A fresh token (its own {@code jti}) of a token user who may read orders. */
  private static String token(JWK key) {
    return TestJwks.token(key, "rotation-user@idp.example.test",
        Map.of("permissions", List.of("orders:reader"), "jti", UUID.randomUUID().toString()));
  }
}
