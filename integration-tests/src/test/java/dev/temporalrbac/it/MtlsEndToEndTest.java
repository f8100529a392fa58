package dev.temporalrbac.it;

import static dev.temporalrbac.it.ItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.it.ItSupport.Sdk;
import dev.temporalrbac.it.OrderFlow.OrderWorkflow;
import dev.temporalrbac.it.TestPki.Issued;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS callers end to end: {@code serve} (in this JVM, in front of a port-bound Temporal test
 * server) serves TLS and requires client certificates signed by a CA minted for the test
 * ({@link TestPki}); Temporal's Java SDK connects as worker and as client with certificates whose
 * SPIFFE URI SAN names a policy principal, and a workflow completes. A certificate naming no
 * principal is UNAUTHENTICATED; a principal's certificate filters are enforced; a connection
 * without a certificate is refused; and a JWT (keys from a JWKS file) sent over a certificate's
 * connection identifies the caller, as the README's precedence says.
 */
@Timeout(120)
class MtlsEndToEndTest {
  private static final String TRUST_DOMAIN = "spiffe://example.test";
  private static final String WORKER = TRUST_DOMAIN + "/ns/orders/sa/worker";
  private static final String CLIENT = TRUST_DOMAIN + "/user/orders-developer";
  private static final String ACME_ONLY = TRUST_DOMAIN + "/ns/orders/sa/acme-worker";
  private static final String POLICY = """
      # MtlsEndToEndTest: principals named by their certificates' SPIFFE ids.
      users:
        - id: %2$s
          role: developer
          namespaces: {orders: write}
      service_accounts:
        - id: %1$s
          namespace_scoped: {namespace: orders, permission: write}
        - id: %3$s
          namespace_scoped: {namespace: orders, permission: read}
          certificate_filters:
            - organization: Acme
      """.formatted(WORKER, CLIENT, ACME_ONLY);

  private static final RSAKey IDP_KEY = TestJwks.rsaKey("mtls-idp-1");

  private static TestPki pki;
  private static TestServer.PortBoundTestServer temporal;
  private static InJvmProxy proxy;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    pki = TestPki.authority("rbac-proxy-it-ca");
    Path[] server = pki.server().write(dir, "server");
    int temporalPort = ItSupport.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    Path policy = Files.writeString(dir.resolve("mtls-policy.yaml"), POLICY);
    Path jwks = Files.writeString(dir.resolve("jwks.json"),
        new JWKSet(IDP_KEY).toPublicJWKSet().toString());
    proxy = InJvmProxy.start(dir, policy, "127.0.0.1:" + temporalPort,
        "--tls-cert", server[0].toString(), "--tls-key", server[1].toString(),
        "--tls-client-ca", pki.writeCa(dir, "ca").toString(), "--tls-client-auth", "require",
        "--jwks", jwks.toString(), "--jwt-issuer", TestJwks.ISSUER,
        "--jwt-audience", TestJwks.AUDIENCE);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void sdkWorkerAndClientWithSpiffeCertificatesRunAWorkflow() throws Exception {
    String queue = unique("mtls-orders");
    double polls = proxy.decisions("PollWorkflowTaskQueue", ItSupport.label("decision", "allow"));
    try (Sdk worker = connect(pki.client("CN=orders-worker", WORKER), "orders");
        Sdk client = connect(pki.client("CN=orders-developer", CLIENT), "orders")) {
      assertEquals("charged mtls-1", ItSupport.processOneOrder(worker, client, queue, "mtls-1"));
    }
    assertTrue(proxy.decisions("PollWorkflowTaskQueue", ItSupport.label("decision", "allow"))
        > polls, "the worker's polls did not go through the proxy");
  }

  @Test
  void aCertificatePrincipalIsRefusedOutsideItsNamespaceWithItsNameInTheMessage()
      throws Exception {
    try (Sdk worker = connect(pki.client("CN=orders-worker", WORKER), "payments")) {
      OrderWorkflow workflow = worker.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), unique("payment")));
      StatusRuntimeException denied = ItSupport.refused(Status.Code.PERMISSION_DENIED,
          () -> WorkflowClient.start(workflow::process, "p-1"));
      String message = String.valueOf(denied.getStatus().getDescription());
      assertTrue(message.contains(WORKER), "the deny message should name " + WORKER + ": "
          + message);
    }
    ItSupport.await("an audit record of the refusal naming the certificate",
        Duration.ofSeconds(10), () -> proxy.audit().stream().anyMatch(line ->
            line.contains("\"identified_by\":\"mtls\"")
                && line.contains("\"credential_id\":\"" + WORKER + "\"")));
  }

  @Test
  void aCertificateNamingNoPrincipalIsUnauthenticated() throws Exception {
    String stranger = TRUST_DOMAIN + "/ns/orders/sa/not-in-policy";
    try (Sdk sdk = connect(pki.client("CN=stranger", stranger), "orders")) {
      ItSupport.refused(Status.Code.UNAUTHENTICATED, () -> describe(sdk, "orders"));
    }
  }

  @Test
  void aPrincipalsCertificateFiltersAreEnforced() throws Exception {
    try (Sdk acme = connect(pki.client("CN=acme-worker, O=Acme", ACME_ONLY), "orders");
        Sdk other = connect(pki.client("CN=acme-worker, O=Other Corp", ACME_ONLY), "orders")) {
      describe(acme, "orders");
      ItSupport.refused(Status.Code.UNAUTHENTICATED, () -> describe(other, "orders"));
    }
  }

  @Test
  void aBearerTokenOverAClientCertificateIdentifiesTheCaller() throws Exception {
    String subject = "carol@idp.example.test";
    String token = TestJwks.permissionsToken(IDP_KEY, subject, "billing:read");
    Issued stranger = pki.client("CN=laptop", TRUST_DOMAIN + "/host/not-in-policy");
    try (Sdk sdk = connect(stranger, token, "billing")) {
      describe(sdk, "billing"); // the certificate alone names no principal: the token decides
      OrderWorkflow workflow = sdk.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("none"), unique("bill")));
      StatusRuntimeException denied = ItSupport.refused(Status.Code.PERMISSION_DENIED,
          () -> WorkflowClient.start(workflow::process, "b-1"));
      assertTrue(String.valueOf(denied.getStatus().getDescription()).contains(subject),
          "the caller is the token's subject: " + denied.getStatus());
    }
  }

  @Test
  void aConnectionWithoutAClientCertificateIsRefused() throws Exception {
    try (Sdk sdk = connect(null, "billing")) {
      ItSupport.refused(Status.Code.UNAVAILABLE, () -> describe(sdk, "billing"));
    }
  }

  private static Sdk connect(Issued certificate, String namespace) {
    return Sdk.connect(options(certificate).build(), namespace);
  }

  /** TLS with {@code certificate} and {@code token} as the bearer credential. */
  private static Sdk connect(Issued certificate, String token, String namespace) {
    return Sdk.connect(options(certificate).addApiKey(() -> token).build(), namespace);
  }

  private static WorkflowServiceStubsOptions.Builder options(Issued certificate) {
    return WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:" + proxy.port)
        .setSslContext(pki.clientContext(certificate));
  }

  private static void describe(Sdk sdk, String namespace) {
    assertEquals(namespace, sdk.stubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
        .getNamespaceInfo().getName());
  }
}
