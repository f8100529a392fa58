package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.it.Accounts.Principal;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proto.v1.ExplainResponse;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} wires PolicyAdmin onto the main port behind the proxy's own authorization (policy
 * {@code accounts-policy.yaml}): only Global Admin and Account Owner may call it, nothing of it
 * reaches the upstream, and the admin port answers HTTP only.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyAdminTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";

  private RecordingUpstream upstream;
  private InJvmProxy proxy;
  private ManagedChannel channel;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    proxy = InJvmProxy.start(dir, ItSupport.copyResource("accounts-policy.yaml", dir),
        upstream.target());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port).usePlaintext().build();
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private PolicyAdminGrpc.PolicyAdminBlockingStub as(Principal principal) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + principal.secret());
    return PolicyAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Status.Code statusOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void onlyAccountAdministratorsReachPolicyAdminOnTheMainPort() {
    upstream.drain();
    double refusals = proxy.decisions("Explain", ItSupport.label("decision", "deny"),
        ItSupport.label("reason", "missing_role"));
    ExplainRequest whoseKey = ExplainRequest.newBuilder()
        .setApiKey(Accounts.OWNER.secret()).setMethod(START).build();
    for (Principal principal : Accounts.ALL) {
      boolean admin = principal == Accounts.OWNER || principal == Accounts.GLOBAL_ADMIN;
      Status.Code expected = admin ? Status.Code.OK : Status.Code.PERMISSION_DENIED;
      assertEquals(expected, statusOf(() -> as(principal)
          .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance())), principal.id());
      assertEquals(expected, statusOf(() -> as(principal).explain(whoseKey)), principal.id());
    }
    ExplainResponse answer = as(Accounts.GLOBAL_ADMIN).explain(whoseKey);
    assertEquals(Accounts.OWNER.id(), answer.getPrincipal());
    assertEquals(List.of(), upstream.drain(), "PolicyAdmin is answered by the proxy itself");

    assertTrue(proxy.decisions("Explain", ItSupport.label("decision", "deny"),
        ItSupport.label("reason", "missing_role")) >= refusals + 4, proxy.metrics());
  }

  @Test
  void theAdminPortAnswersHttpOnly() throws Exception {
    assertEquals(200, ItSupport.http(proxy.adminPort, "/healthz").statusCode());
    ManagedChannel admin = NettyChannelBuilder.forAddress("127.0.0.1", proxy.adminPort)
        .usePlaintext().build();
    try {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> PolicyAdminGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS)
              .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
      assertNotEquals(Status.Code.OK, refused.getStatus().getCode());
    } finally {
      admin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
