package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.observe.AuditLevel;
import dev.temporalrbac.proxy.observe.AuditLog;
import dev.temporalrbac.proxy.observe.CompositeObserver;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shadow policy beside the enforced one, through the real forwarding path and engine: the
 * enforced decision alone acts, the shadow one is counted and audited.
 */
class ShadowPolicyTest {
  static final String KEY = "tok-enforced-7Qx";
  /** A key only the shadow policy knows. */
  static final String SHADOW_ONLY_KEY = "tok-shadow-only-9Zp";
  static final String ENFORCED = String.join("\n",
      "users:",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {orders: write}",
      "api_keys:",
      "  - id: k1",
      "    owner: dev@example.com",
      "    sha256: c1f9ab208efc772f09bdc3af616deacf1b58f9eff68e22852957c7dbf09be459",
      "");
  /** The same user moved from orders to payments, and a second key. */
  static final String SHADOW = String.join("\n",
      "users:",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {payments: write}",
      "api_keys:",
      "  - id: k1",
      "    owner: dev@example.com",
      "    sha256: c1f9ab208efc772f09bdc3af616deacf1b58f9eff68e22852957c7dbf09be459",
      "  - id: k2",
      "    owner: dev@example.com",
      "    sha256: 0800d4439a8a8c37627e563d498ec922bdad0e78d0301ccfbaae60fff6efde40",
      "");

  private final List<byte[]> arrived = new CopyOnWriteArrayList<>();
  private final Authorizer authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());
  private final ProxyMetrics metrics =
      new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
  private final StringWriter auditText = new StringWriter();
  private final AuditLog audit =
      new AuditLog(AuditLevel.DENY, auditText, 64, Clock.systemUTC(), null);
  private final InProcessHops hops = new InProcessHops();
  private ManagedChannel toProxy;

  private static PolicySnapshot parse(String yaml) throws Exception {
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.now());
  }

  /** Starts the proxy with {@code shadow} beside the enforced policy; {@code decider} decides. */
  private void start(PolicyHolder shadow, Decider decider) throws Exception {
    ManagedChannel toUpstream =
        hops.startUpstream(b -> b.addService(InProcessHops.recordingStarts(arrived)));
    metrics.countShadowDecisions();
    toProxy = hops.startProxy(new ForwardingRegistry(MethodCatalog.load(), decider,
        new PolicyHolder(parse(ENFORCED)), shadow, toUpstream,
        UpstreamCredentials.passthrough(), EnforcementMode.ENFORCE,
        CompositeObserver.of(metrics, audit), ProxyFixture.limits(Map.of()), false));
  }

  private void start() throws Exception {
    start(new PolicyHolder(parse(SHADOW)), Decider.of(authorizer));
  }

  @AfterEach
  void stop() {
    audit.close();
    hops.close();
  }

  private StartWorkflowExecutionResponse start(String key, String namespace) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + key);
    return WorkflowServiceGrpc.newBlockingStub(toProxy)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace).setWorkflowId("w1").build());
  }

  private Status.Code denied(String key, String namespace) {
    return assertThrows(StatusRuntimeException.class, () -> start(key, namespace))
        .getStatus().getCode();
  }

  private double shadowCount(String result) {
    return metrics.registry().get("temporal.rbac.shadow.decisions").tag("result", result)
        .counter().count();
  }

  /** The audit lines written, each as its fields (string values; arrays as their text). */
  private List<Map<String, String>> auditLines() throws Exception {
    audit.close();
    String text = auditText.toString();
    assertFalse(text.contains(KEY) || text.contains(SHADOW_ONLY_KEY), "no credential: " + text);
    List<Map<String, String>> lines = new java.util.ArrayList<>();
    for (String line : text.isEmpty() ? new String[0] : text.split("\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      try (JsonParser in = new JsonFactory().createParser(line)) {
        assertEquals(JsonToken.START_OBJECT, in.nextToken());
        while (in.nextToken() == JsonToken.FIELD_NAME) {
          String name = in.currentName();
          if (in.nextToken() == JsonToken.START_ARRAY) {
            in.skipChildren();
            fields.put(name, "[array]");
          } else {
            fields.put(name, in.getText());
          }
        }
      }
      lines.add(fields);
    }
    return lines;
  }

  @Test
  void aCallTheShadowWouldDenyIsForwardedCountedAndAudited() throws Exception {
    start();
    assertEquals("run-1", start(KEY, "orders").getRunId());
    assertEquals(1, arrived.size());
    assertEquals(1.0, shadowCount("would_deny"));
    assertEquals(0.0, shadowCount("same") + shadowCount("would_allow") + shadowCount("error"));
    List<Map<String, String>> lines = auditLines();
    assertEquals(1, lines.size(), lines.toString());
    assertEquals("allow", lines.get(0).get("decision"));
    assertEquals("would_deny", lines.get(0).get("shadow_decision"));
    assertEquals("missing_namespace_permission", lines.get(0).get("shadow_reason"));
    assertEquals(parse(SHADOW).version(), lines.get(0).get("shadow_policy_version"));
    assertEquals(parse(ENFORCED).version(), lines.get(0).get("policy_version"));
  }

  @Test
  void aCallTheShadowWouldAllowIsStillDenied() throws Exception {
    start();
    assertEquals(Status.Code.PERMISSION_DENIED, denied(KEY, "payments"));
    assertTrue(arrived.isEmpty());
    assertEquals(1.0, shadowCount("would_allow"));
    List<Map<String, String>> lines = auditLines();
    assertEquals(1, lines.size(), "one line for the call, not two: " + lines);
    assertEquals("deny", lines.get(0).get("decision"));
    assertEquals("would_allow", lines.get(0).get("shadow_decision"));
    assertEquals("allowed", lines.get(0).get("shadow_reason"));
  }

  @Test
  void callsDecidedAlikeCountAsSame() throws Exception {
    start();
    assertEquals(Status.Code.PERMISSION_DENIED, denied(KEY, "billing"));
    assertEquals(Status.Code.UNAUTHENTICATED, denied("tok-unknown-to-both", "orders"));
    assertEquals(2.0, shadowCount("same"));
    assertTrue(arrived.isEmpty());
    List<Map<String, String>> lines = auditLines();
    assertEquals(2, lines.size(), "the denials, as without a shadow policy");
    lines.forEach(line -> assertFalse(line.containsKey("shadow_decision"), line.toString()));
  }

  @Test
  void aKeyOnlyTheShadowKnowsIsRefusedAsWithoutAShadowPolicy() throws Exception {
    start();
    assertEquals(Status.Code.UNAUTHENTICATED, denied(SHADOW_ONLY_KEY, "payments"));
    assertEquals(Status.Code.UNAUTHENTICATED, denied(SHADOW_ONLY_KEY, "orders"));
    assertTrue(arrived.isEmpty());
    assertEquals(0.0, shadowCount("same") + shadowCount("would_allow")
        + shadowCount("would_deny"), "refused at its headers: the shadow's answer is unknown");
  }

  @Test
  void aShadowDeciderThatThrowsChangesNothingForTheCall() throws Exception {
    PolicySnapshot shadowSnapshot = parse(SHADOW);
    Decider production = Decider.of(authorizer);
    Decider brokenShadow = new Decider() {
      @Override
      public Decision decide(PolicySnapshot policy, Caller caller, String fullMethod,
          byte[] body, List<String> headerNamespaces) {
        if (policy == shadowSnapshot) {
          throw new IllegalStateException("broken shadow");
        }
        return production.decide(policy, caller, fullMethod, body, headerNamespaces);
      }

      @Override
      public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String method) {
        if (policy == shadowSnapshot) {
          throw new IllegalStateException("broken shadow");
        }
        return production.refusalAtHeaders(policy, caller, method);
      }
    };
    start(new PolicyHolder(shadowSnapshot), brokenShadow);
    assertEquals("run-1", start(KEY, "orders").getRunId());
    assertEquals(Status.Code.PERMISSION_DENIED, denied(KEY, "payments"));
    assertEquals(Status.Code.UNAUTHENTICATED, denied("tok-unknown-to-both", "orders"));
    assertEquals(1, arrived.size());
    assertEquals(3.0, shadowCount("error"));
    assertEquals(0.0, shadowCount("same") + shadowCount("would_allow")
        + shadowCount("would_deny"));
    assertTrue(metrics.scrape().contains("decision=\"allow\""), "the enforced one is counted");
    List<Map<String, String>> lines = auditLines();
    assertEquals(2, lines.size(), "the two denials, as without a shadow policy: " + lines);
    lines.forEach(line -> assertFalse(line.containsKey("shadow_decision"), line.toString()));
  }

  @Test
  void aShadowPolicyNotYetLoadedDecidesNothing() throws Exception {
    start(new PolicyHolder(null), Decider.of(authorizer));
    assertEquals("run-1", start(KEY, "orders").getRunId());
    assertEquals(Status.Code.UNAUTHENTICATED, denied("tok-unknown-to-both", "orders"));
    assertEquals(0.0, shadowCount("same") + shadowCount("would_allow")
        + shadowCount("would_deny") + shadowCount("error"));
    assertEquals(1, auditLines().size());
  }

  @Test
  void withoutAShadowPolicyTheCallIsAsBefore() throws Exception {
    start(null, Decider.of(authorizer));
    byte[] sent = StartWorkflowExecutionRequest.newBuilder().setNamespace("orders")
        .setWorkflowId("w1").build().toByteArray();
    assertEquals("run-1", start(KEY, "orders").getRunId());
    assertArrayEquals(sent, arrived.get(0));
    assertEquals(0.0, shadowCount("same") + shadowCount("would_deny"));
  }
}
