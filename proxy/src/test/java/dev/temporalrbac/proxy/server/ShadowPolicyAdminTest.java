package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import dev.temporalrbac.proxy.admin.PolicyAdminService;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.ReloadStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PolicyAdmin behind {@link AuthorizingInterceptor} with a shadow policy: counted, not acting. */
class ShadowPolicyAdminTest {
  private static final String KEY = "tok-enforced-7Qx";
  private static final String KEY_ENTRY = String.join("\n",
      "api_keys:",
      "  - id: k1",
      "    owner: ops@example.com",
      "    sha256: c1f9ab208efc772f09bdc3af616deacf1b58f9eff68e22852957c7dbf09be459",
      "");

  private final AtomicInteger verifications = new AtomicInteger();
  /** Accepts JWTs, and refuses every one for its signature. */
  private final Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC(),
      new Identities((policy, jwt) -> {
        verifications.incrementAndGet();
        return Authentication.refused(Reason.TOKEN_BAD_SIGNATURE, IdentifiedBy.JWT, "",
            "the JWT's signature does not verify");
      }, null));
  private final ProxyMetrics metrics =
      new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
  private Server server;
  private ManagedChannel channel;

  private static PolicySnapshot withRole(String role) throws Exception {
    String yaml = "users:\n  - id: ops@example.com\n    role: " + role + "\n" + KEY_ENTRY;
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "p.yaml", Instant.now());
  }

  private PolicyAdminGrpc.PolicyAdminBlockingStub start(String enforced, String shadow)
      throws Exception {
    return start(enforced, shadow, KEY);
  }

  private PolicyAdminGrpc.PolicyAdminBlockingStub start(String enforced, String shadow,
      String bearer) throws Exception {
    metrics.countShadowDecisions();
    PolicyHolder holder = new PolicyHolder(withRole(enforced));
    AuthorizingInterceptor interceptor = new AuthorizingInterceptor(authorizer, holder,
        new PolicyHolder(withRole(shadow)), metrics);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(interceptor.wrap(new PolicyAdminService(authorizer, holder,
            () -> new ReloadStatus(1, 0, null, null))))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + bearer);
    return PolicyAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private double shadowCount(String result) {
    return metrics.registry().get("temporal.rbac.shadow.decisions").tag("result", result)
        .counter().count();
  }

  @Test
  void anAdminTheShadowWouldDemoteStillGetsIn() throws Exception {
    start("global_admin", "developer").getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance());
    assertEquals(1.0, shadowCount("would_deny"));
  }

  @Test
  void aDeveloperTheShadowWouldPromoteIsStillRefused() throws Exception {
    PolicyAdminGrpc.PolicyAdminBlockingStub stub = start("developer", "global_admin");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertEquals(1.0, shadowCount("would_allow"));
    assertTrue(metrics.scrape().contains("decision=\"deny\""), metrics.scrape());
  }

  @Test
  void aTokenRefusedForItsSignatureIsVerifiedOnce() throws Exception {
    PolicyAdminGrpc.PolicyAdminBlockingStub stub = start("global_admin", "global_admin",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.getPolicyStatus(GetPolicyStatusRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals(1, verifications.get(), "not verified again under the shadow policy");
    assertEquals(1.0, shadowCount("same"));
  }
}
