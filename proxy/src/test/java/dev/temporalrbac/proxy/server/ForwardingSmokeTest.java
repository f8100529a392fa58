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
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
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
  private Server upstream;
  private Server proxy;
  private ManagedChannel toUpstream;
  private ManagedChannel toProxy;

  @BeforeEach
  void start() throws Exception {
    String up = InProcessServerBuilder.generateName();
    upstream = InProcessServerBuilder.forName(up).directExecutor()
        .addService(new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void startWorkflowExecution(StartWorkflowExecutionRequest request,
              StreamObserver<StartWorkflowExecutionResponse> response) {
            arrived.add(request.toByteArray());
            response.onNext(StartWorkflowExecutionResponse.newBuilder().setRunId("run-1").build());
            response.onCompleted();
          }
        }).build().start();
    toUpstream = InProcessChannelBuilder.forName(up).directExecutor().build();
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
    PolicyHolder holder = new PolicyHolder(PolicyLoader.parse(
        POLICY.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.now()));
    String px = InProcessServerBuilder.generateName();
    proxy = InProcessServerBuilder.forName(px).directExecutor()
        .fallbackHandlerRegistry(new ForwardingRegistry(authorizer, holder, toUpstream,
            UpstreamCredentials.passthrough(), EnforcementMode.ENFORCE, CallObserver.NONE,
            ProxyFixture.limits(Map.of())))
        .build().start();
    toProxy = InProcessChannelBuilder.forName(px).directExecutor().build();
  }

  @AfterEach
  void stop() {
    toProxy.shutdownNow();
    toUpstream.shutdownNow();
    proxy.shutdownNow();
    upstream.shutdownNow();
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
