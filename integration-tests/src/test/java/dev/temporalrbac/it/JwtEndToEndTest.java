package dev.temporalrbac.it;

import static dev.temporalrbac.it.ItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.it.ItSupport.Sdk;
import dev.temporalrbac.it.OrderFlow.OrderWorkflow;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT bearer tokens end to end: Temporal's Java SDK sends them through its API-key supplier
 * ({@code authorization: Bearer <jwt>}) to {@code serve} (in this JVM) in front of a port-bound
 * Temporal test server, the keys coming from a JWKS served over HTTP ({@link TestJwks}). Covers a
 * token naming a policy service account, a token user with a permissions claim, the groups claim
 * mapped to a policy group, and the {@code temporal-system} grants of Temporal's default claim
 * format. Key rotation: {@link JwksRotationEndToEndTest}.
 */
@Timeout(120)
class JwtEndToEndTest {
  private static final String POLICY = """
      # JwtEndToEndTest: a token's subject may name a principal; IdP group "ops" is a policy group.
      groups:
        - id: ops
          role: developer
          namespaces: {payments: write}
      service_accounts:
        - id: jwt-orders-worker
          namespace_scoped: {namespace: orders, permission: write}
      """;
  private static final RSAKey RSA = TestJwks.rsaKey("rsa-1");
  private static final ECKey EC = TestJwks.ecKey("ec-1");

  /** Clients opened by a test, shut down after the class. */
  private static final List<Runnable> CLOSE_LATER = new CopyOnWriteArrayList<>();

  private static LogCapture logs;
  private static TestJwks idp;
  private static TestServer.PortBoundTestServer temporal;
  private static InJvmProxy proxy;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    logs = LogCapture.start();
    idp = TestJwks.serving(RSA, EC);
    int temporalPort = ItSupport.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    Path policy = Files.writeString(dir.resolve("jwt-policy.yaml"), POLICY);
    proxy = InJvmProxy.start(dir, policy, "127.0.0.1:" + temporalPort, "--jwks", idp.url(),
        "--jwt-issuer", TestJwks.ISSUER, "--jwt-audience", TestJwks.AUDIENCE);
  }

  @AfterAll
  static void stop() {
    CLOSE_LATER.forEach(Runnable::run);
    if (proxy != null) {
      proxy.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (idp != null) {
      idp.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  @Test
  void sdkWorkerAsAServiceAccountAndClientAsATokenUserRunAWorkflow() throws Exception {
    String worker = TestJwks.token(RSA, "jwt-orders-worker", Map.of());
    String client = TestJwks.permissionsToken(EC, "alice@idp.example.test", "orders:writer");
    String queue = unique("jwt-orders");
    double polls = proxy.decisions("PollActivityTaskQueue", ItSupport.label("decision", "allow"));
    try (Sdk workerSdk = Sdk.connect(proxy.port, worker, "orders");
        Sdk clientSdk = Sdk.connect(proxy.port, client, "orders")) {
      assertEquals("charged jwt-1",
          ItSupport.processOneOrder(workerSdk, clientSdk, queue, "jwt-1"));
    }
    assertTrue(proxy.decisions("PollActivityTaskQueue", ItSupport.label("decision", "allow"))
        > polls, "the worker's polls did not go through the proxy");
    assertNoTokenLeaked(worker, client);
  }

  @Test
  void aReadTokenReadsButIsRefusedStartingAWorkflowWithItsSubjectNamed() throws Exception {
    String subject = "reader@idp.example.test";
    String reader = TestJwks.permissionsToken(RSA, subject, "orders:read");
    try (Sdk sdk = Sdk.connect(proxy.port, reader, "orders")) {
      describe(sdk, "orders");
      OrderWorkflow workflow = sdk.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), unique("order")));
      StatusRuntimeException denied = ItSupport.refused(Status.Code.PERMISSION_DENIED,
          () -> WorkflowClient.start(workflow::process, "jwt-2"));
      String message = denied.getStatus().getDescription();
      assertTrue(message.toLowerCase(Locale.ROOT).contains("jwt") && message.contains(subject),
          "the deny message should say the caller was identified by a JWT and name " + subject
              + ": " + message);
      assertFalse(message.contains(reader.substring(reader.lastIndexOf('.') + 1)),
          "the deny message holds the token");
    }
    ItSupport.await("an audit record of the refused start naming the JWT subject",
        Duration.ofSeconds(10), () -> proxy.audit().stream().anyMatch(line ->
            line.contains("StartWorkflowExecution") && line.contains("\"identified_by\":\"jwt\"")
                && line.contains("\"credential_id\":\"" + subject + "\"")));
    assertNoTokenLeaked(reader);
  }

  @Test
  void theGroupsClaimGrantsThePolicyGroupsRights() throws Exception {
    String subject = "bob@idp.example.test";
    String inOps = TestJwks.token(EC, subject, Map.of("groups", List.of("ops", "not-in-policy")));
    String noGroup = TestJwks.token(EC, subject, Map.of());
    String id = unique("payment");
    try (Sdk ops = Sdk.connect(proxy.port, inOps, "payments");
        Sdk plain = Sdk.connect(proxy.port, noGroup, "payments")) {
      OrderWorkflow outsider = plain.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), unique("payment")));
      ItSupport.refused(Status.Code.PERMISSION_DENIED, () -> WorkflowClient.start(outsider::process, "p"));

      OrderWorkflow workflow = ops.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), id));
      assertEquals(id, WorkflowClient.start(workflow::process, "p-1").getWorkflowId());
      WorkflowStub started = ops.client().newUntypedWorkflowStub(id, Optional.empty(),
          Optional.empty());
      started.terminate("the group's write covers terminate too");
    }
  }

  @Test
  void temporalSystemReadDescribesEveryNamespaceButStartsNothing() throws Exception {
    String reader = TestJwks.permissionsToken(RSA, "auditor@idp.example.test",
        "temporal-system:read");
    try (Sdk sdk = Sdk.connect(proxy.port, reader, "orders")) {
      for (String namespace : List.of("orders", "payments", unique("any"))) {
        describe(sdk, namespace);
      }
      OrderWorkflow workflow = sdk.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), unique("order")));
      ItSupport.refused(Status.Code.PERMISSION_DENIED, () -> WorkflowClient.start(workflow::process, "x"));
    }
  }

  @Test
  void temporalSystemAdminIsAGlobalAdminAndWriteEverywhereIsNot() throws Exception {
    String admin = TestJwks.permissionsToken(EC, "root@idp.example.test", "temporal-system:admin");
    String writer = TestJwks.permissionsToken(EC, "ci@idp.example.test", "temporal-system:write");
    AddSearchAttributesRequest attribute = AddSearchAttributesRequest.newBuilder()
        .setNamespace("orders").putSearchAttributes(unique("Tier").replace("-", ""),
            IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).build();
    // Namespace admin on a namespace no claim names, and an account-level admin-only method.
    operator(admin).blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .addSearchAttributes(attribute);
    policyAdmin(admin).getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance());

    ItSupport.refused(Status.Code.PERMISSION_DENIED, () -> operator(writer).blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS).addSearchAttributes(attribute));
    ItSupport.refused(Status.Code.PERMISSION_DENIED,
        () -> policyAdmin(writer).getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
  }

  @Test
  void aTokenForAnotherAudienceIsUnauthenticatedAndNeverWrittenDown() throws Exception {
    String elsewhere = TestJwks.token(RSA, "jwt-orders-worker",
        Map.of("aud", "another-service", "permissions", List.of("orders:admin")));
    double refusals = proxy.metric("temporal_rbac_authentication_failures_total",
        ItSupport.label("reason", "token_wrong_audience"));
    try (Sdk sdk = Sdk.connect(proxy.port, elsewhere, "orders")) {
      StatusRuntimeException refused = ItSupport.refused(Status.Code.UNAUTHENTICATED,
          () -> describe(sdk, "orders"));
      assertTrue(String.valueOf(refused.getStatus().getDescription()).contains("audience"),
          "the message should name the failed check: " + refused.getStatus());
    }
    ItSupport.await("the refusal counted by reason", Duration.ofSeconds(10),
        () -> proxy.metric("temporal_rbac_authentication_failures_total",
            ItSupport.label("reason", "token_wrong_audience")) > refusals);
    assertNoTokenLeaked(elsewhere);
  }

  private static void describe(Sdk sdk, String namespace) {
    assertEquals(namespace, sdk.stubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
        .getNamespaceInfo().getName());
  }

  private static OperatorServiceStubs operator(String token) {
    OperatorServiceStubs stubs = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + proxy.port)
            .setEnableHttps(false).addApiKey(() -> token).validateAndBuildWithDefaults());
    CLOSE_LATER.add(stubs::shutdownNow);
    return stubs;
  }

  private static PolicyAdminGrpc.PolicyAdminBlockingStub policyAdmin(String token) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port)
        .usePlaintext().build();
    CLOSE_LATER.add(channel::shutdownNow);
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return PolicyAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /**
   * No token (its signature, the part only the issuer could make) shows in serve's output, the
   * JUL log records of this JVM or the audit log.
   */
  private static void assertNoTokenLeaked(String... tokens) {
    assertTrue(logs.text().contains("dev.temporalrbac.proxy"), "serve's log records were not seen");
    String everything = proxy.output() + logs.text() + String.join("\n", proxy.audit());
    for (String token : tokens) {
      String signature = token.substring(token.lastIndexOf('.') + 1);
      assertFalse(everything.contains(signature), "a token was written to serve's output or audit");
    }
  }
}
