package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForwardingSmokeTest {
  private static final String POLICY = String.join("\n",
      "users:",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {orders: write}",
      "api_keys:",
      "  - id: k1",
      "    owner: dev@example.com",
      "    sha256: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
      "");

  private final List<byte[]> arrived = new CopyOnWriteArrayList<>();
  private final InProcessHops hops = new InProcessHops();
  private ManagedChannel toProxy;

  @BeforeEach
  void start() throws Exception {
    ManagedChannel toUpstream =
        hops.startUpstream(b -> b.addService(InProcessHops.recordingStarts(arrived)));
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
    PolicyHolder holder = new PolicyHolder(PolicyLoader.parse(
        POLICY.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.now()));
    toProxy = hops.startProxy(new ForwardingRegistry(authorizer, holder, toUpstream,
        UpstreamCredentials.passthrough(), EnforcementMode.ENFORCE, CallObserver.NONE,
        ProxyFixture.limits(Map.of())));
  }

  @AfterEach
  void stop() {
    hops.close();
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(String key) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return WorkflowServiceGrpc.newBlockingStub(toProxy)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void allowedCallArrivesByteIdentical() {
    StartWorkflowExecutionRequest request = StartWorkflowExecutionRequest.newBuilder()
        .setNamespace("orders").setWorkflowId("w1").build();
    assertEquals("run-1", stub("secret").startWorkflowExecution(request).getRunId());
    assertEquals(1, arrived.size());
    assertArrayEquals(request.toByteArray(), arrived.get(0));
  }

  @Test
  void deniedCallNeverArrives() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub("secret").startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace("payments").build()));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("payments"));
    assertTrue(arrived.isEmpty());
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub("wrong").startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace("orders").build()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(arrived.isEmpty());
  }
}
