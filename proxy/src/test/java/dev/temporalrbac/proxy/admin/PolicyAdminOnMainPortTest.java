package dev.temporalrbac.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proto.v1.ExplainResponse;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.GetPolicyStatusResponse;
import dev.temporalrbac.proto.v1.Outcome;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.observe.AuditLevel;
import dev.temporalrbac.proxy.observe.AuditLog;
import dev.temporalrbac.proxy.observe.CompositeObserver;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.ReloadStatus;
import dev.temporalrbac.proxy.server.AuthorizingInterceptor;
import dev.temporalrbac.proxy.server.CallObserver;
import dev.temporalrbac.proxy.server.ProxyServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PolicyAdmin on the proxy's main port: decided by the same engine as every call, so only Global
 * Admin and Account Owner reach it, and every decision is counted and audited.
 */
class PolicyAdminOnMainPortTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  private static final String[] ROLES =
      {"global_admin", "account_owner", "developer", "finance_admin", "read_only"};

  private final StringWriter auditText = new StringWriter();
  private PolicySnapshot snapshot;
  private ProxyMetrics metrics;
  private AuditLog audit;
  private ProxyServer proxy;
  private ManagedChannel channel;

  private static String policy() {
    StringBuilder yaml = new StringBuilder("users:\n");
    for (String role : ROLES) {
      yaml.append("  - id: ").append(role).append("@example.com\n    role: ").append(role)
          .append('\n');
      if (role.equals("developer")) {
        yaml.append("    namespaces: {orders: write}\n");
      }
    }
    yaml.append("api_keys:\n");
    for (String role : ROLES) {
      yaml.append("  - id: key-").append(role).append("\n    owner: ").append(role)
          .append("@example.com\n    sha256: ").append(Authorizer.hashSecret(secret(role)))
          .append('\n');
    }
    return yaml.toString();
  }

  private static String secret(String role) {
    return "secret-of-" + role;
  }

  @BeforeEach
  void start() throws Exception {
    snapshot = PolicyLoader.parse(policy().getBytes(StandardCharsets.UTF_8), "policy.yaml",
        Instant.parse("2025-01-02T03:04:05Z"));
    metrics = new ProxyMetrics();
    audit = new AuditLog(AuditLevel.ALL, auditText, 64, Clock.systemUTC(), null);
    proxy = startProxy("enforce", CompositeObserver.of(metrics, audit));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
  }

  private ProxyServer startProxy(String mode, CallObserver observer) throws Exception {
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
    PolicyHolder holder = new PolicyHolder(snapshot);
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, Map.of("listen", "127.0.0.1:0",
        "upstream", "127.0.0.1:1", "policy", "unused.yaml", "admin", "127.0.0.1:0",
        "mode", mode));
    return ProxyServer.start(config, authorizer, holder, observer,
        new AuthorizingInterceptor(authorizer, holder, observer).wrap(new PolicyAdminService(
            authorizer, holder, () -> new ReloadStatus(2, 1, "bad yaml", null))));
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    proxy.close();
    audit.close();
    metrics.close();
  }

  /** A stub sending {@code authorization: Bearer <secret>}; none when {@code secret} is null. */
  private PolicyAdminGrpc.PolicyAdminBlockingStub as(String secret) {
    Metadata headers = new Metadata();
    if (secret != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + secret);
    }
    return PolicyAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Explain by API key: whose key is it? The question that must stay an admin's. */
  private static ExplainRequest whoseKey(String key) {
    return ExplainRequest.newBuilder().setApiKey(key).setMethod(START)
        .setRequestBase64(StartWorkflowExecutionRequest.newBuilder().setNamespace("orders")
            .build().toByteString())
        .build();
  }

  private static StatusRuntimeException refused(
      Function<PolicyAdminGrpc.PolicyAdminBlockingStub, Object> call,
      PolicyAdminGrpc.PolicyAdminBlockingStub stub) {
    return assertThrows(StatusRuntimeException.class, () -> call.apply(stub));
  }

  @Test
  void rolesBelowAccountAdministratorAreRefusedWithTheEnginesAnswer() {
    for (String role : new String[] {"developer", "finance_admin", "read_only"}) {
      PolicyAdminGrpc.PolicyAdminBlockingStub stub = as(secret(role));
      StatusRuntimeException explain = refused(s -> s.explain(whoseKey(secret("global_admin"))),
          stub);
      assertEquals(Status.Code.PERMISSION_DENIED, explain.getStatus().getCode(), role);
      assertEquals(role + "@example.com (" + role + ", by API key key-" + role + ") may not call PolicyAdmin/Explain: it"
          + " needs the role global_admin or account_owner", explain.getStatus().getDescription());
      assertFalse(explain.getStatus().getDescription().contains("secret"), role);
      StatusRuntimeException status = refused(
          s -> s.getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()), stub);
      assertEquals(Status.Code.PERMISSION_DENIED, status.getStatus().getCode(), role);
      assertTrue(status.getStatus().getDescription().contains("PolicyAdmin/GetPolicyStatus"));
    }
  }

  @Test
  void callersWithoutAValidKeyAreUnauthenticated() {
    for (String key : new String[] {null, "not-a-key-of-this-policy"}) {
      StatusRuntimeException explain = refused(s -> s.explain(whoseKey(secret("developer"))),
          as(key));
      assertEquals(Status.Code.UNAUTHENTICATED, explain.getStatus().getCode(), key);
      StatusRuntimeException status = refused(
          s -> s.getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()), as(key));
      assertEquals(Status.Code.UNAUTHENTICATED, status.getStatus().getCode(), key);
    }
  }

  @Test
  void anAdminKeyWithoutTheBearerSchemeIsUnauthenticated() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        secret("global_admin"));
    PolicyAdminGrpc.PolicyAdminBlockingStub bare = PolicyAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    StatusRuntimeException refused = refused(
        s -> s.getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()), bare);
    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    assertTrue(refused.getStatus().getDescription().contains("Bearer <api key>"),
        refused.getStatus().getDescription());
  }

  @Test
  void accountAdministratorsGetExplainAndStatus() {
    ExplainResponse byKey = as(secret("global_admin")).explain(whoseKey(secret("developer")));
    assertEquals(Outcome.ALLOW, byKey.getDecision());
    assertEquals("developer@example.com", byKey.getPrincipal());
    ExplainResponse denied = as(secret("account_owner")).explain(whoseKey(secret("read_only")));
    assertEquals(Outcome.DENY, denied.getDecision());
    assertEquals("PERMISSION_DENIED", denied.getStatus());
    assertEquals("read_only@example.com", denied.getPrincipal());

    GetPolicyStatusResponse status = as(secret("account_owner"))
        .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance());
    assertEquals(snapshot.version(), status.getVersion());
    assertEquals(5, status.getApiKeys());
    assertEquals(1, status.getPrincipalsPerRoleOrThrow("developer"));
    assertEquals(2, status.getReloadsSucceeded());
    assertEquals("bad yaml", status.getLastError());

    StatusRuntimeException both = refused(s -> s.explain(ExplainRequest.newBuilder()
        .setPrincipal("developer@example.com").setApiKey("x").setMethod(START).build()),
        as(secret("global_admin")));
    assertEquals(Status.Code.INVALID_ARGUMENT, both.getStatus().getCode());
  }

  @Test
  void everyDecisionIsCountedAndAudited() throws Exception {
    refused(s -> s.explain(whoseKey(secret("global_admin"))), as(secret("developer")));
    as(secret("global_admin")).getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance());
    String scrape = metrics.scrape();
    assertTrue(scrape.contains("temporal_rbac_decisions_total{decision=\"deny\",method=\"Explain\","
        + "reason=\"missing_role\",service=\"PolicyAdmin\"} 1.0"), scrape);
    assertTrue(scrape.contains("temporal_rbac_decisions_total{decision=\"allow\","
        + "method=\"GetPolicyStatus\",reason=\"allowed\",service=\"PolicyAdmin\"} 1.0"), scrape);
    audit.close();
    String lines = auditText.toString();
    assertTrue(lines.contains("\"decision\":\"deny\",\"reason\":\"missing_role\""), lines);
    assertTrue(lines.contains("\"principal\":\"developer@example.com\""), lines);
    assertTrue(lines.contains("temporalrbac.v1.PolicyAdmin/Explain"), lines);
    assertTrue(lines.contains("temporalrbac.v1.PolicyAdmin/GetPolicyStatus"), lines);
    assertFalse(lines.contains("secret-of"), lines);
  }

  @Test
  void dryRunDoesNotOpenPolicyAdmin() throws Exception {
    try (ProxyServer dryRun = startProxy("dry_run", CallObserver.NONE)) {
      ManagedChannel dry = NettyChannelBuilder.forAddress("127.0.0.1", dryRun.port())
          .usePlaintext().build();
      try {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
            () -> PolicyAdminGrpc.newBlockingStub(dry).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
      } finally {
        dry.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aServiceWithAnUnruledMethodIsRefusedAtStartUp() {
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
    AuthorizingInterceptor interceptor = new AuthorizingInterceptor(authorizer,
        new PolicyHolder(snapshot), metrics);
    IllegalStateException unruled = assertThrows(IllegalStateException.class,
        () -> interceptor.wrap(new HealthStatusManager().getHealthService()));
    assertTrue(unruled.getMessage().contains("grpc.health.v1.Health/Watch"), unruled.getMessage());
  }
}
