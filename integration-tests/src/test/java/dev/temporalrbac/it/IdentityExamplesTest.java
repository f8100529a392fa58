package dev.temporalrbac.it;

import static dev.temporalrbac.it.ItSupport.assertDenied;
import static dev.temporalrbac.it.ItSupport.label;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "Identities" commands, run as written from the repository root with bash (so
 * {@code "$(cat …)"} is expanded as a user's shell does) against the fat jar and the files of
 * {@code examples/identity/}. The README must contain each command verbatim, so the document
 * cannot drift from what is tested here. Expectations come from the example policy and the
 * tokens' claims, as {@code examples/identity/README.md} states them.
 */
@Timeout(180)
class IdentityExamplesTest {
  private static final String JAR = "java -jar proxy/target/temporal-rbac-proxy.jar ";
  private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService/";
  private static final String SPIFFE_ID = "spiffe://example.org/ns/payments/sa/worker";

  static final String CI_BOT = JAR + "explain --policy examples/policy.yaml"
      + " --jwks examples/identity/jwks.json --jwt-issuer https://idp.example.com/"
      + " --jwt-audience temporal --jwt \"$(cat examples/identity/ci-bot.jwt)\""
      + " --method " + WORKFLOW_SERVICE + "StartWorkflowExecution --namespace payments";
  static final String ALICE = JAR + "explain --policy examples/policy.yaml"
      + " --jwks examples/identity/jwks.json --jwt-issuer https://idp.example.com/"
      + " --jwt-audience temporal --jwt \"$(cat examples/identity/alice.jwt)\""
      + " --method " + WORKFLOW_SERVICE + "UpdateNamespace --namespace payments";
  static final String WORKER = JAR + "explain --policy examples/policy.yaml"
      + " --tls-client-ca examples/identity/ca.pem --cert examples/identity/worker.pem"
      + " --method " + WORKFLOW_SERVICE + "PollWorkflowTaskQueue --namespace payments";
  static final String SERVE = JAR + "serve --config examples/proxy.yaml"
      + " --tls-cert examples/identity/server.pem --tls-key examples/identity/server.key"
      + " --tls-client-ca examples/identity/ca.pem --tls-client-auth optional"
      + " --jwks examples/identity/jwks.json --jwt-issuer https://idp.example.com/"
      + " --jwt-audience temporal";

  private static Path root;
  private static Path identity;

  @BeforeAll
  static void locate() {
    Path jar = Path.of(System.getProperty("proxy.jar", "../proxy/target/temporal-rbac-proxy.jar"))
        .toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), "the fat jar must be built first: " + jar);
    root = jar.getParent().getParent().getParent();
    identity = root.resolve("examples/identity");
    assertTrue(Files.isRegularFile(identity.resolve("jwks.json")), "no examples/identity at " + root);
  }

  @Test
  void readmeShowsExactlyTheCommandsThisTestRuns() throws IOException {
    // Shell line continuations ("\" at the end of a line) read as one line, as bash reads them.
    String readme = Files.readString(root.resolve("README.md")).replaceAll(" \\\\\n\\s*", " ");
    for (String command : List.of(CI_BOT, ALICE, WORKER, SERVE)) {
      assertTrue(readme.contains(command), "README.md does not show: " + command);
    }
  }

  @Test
  void ciBotTokenWritesPaymentsByItsPermissionsClaimAndOnlyReadsBilling() throws Exception {
    Run allowed = bash(CI_BOT);
    assertEquals(0, allowed.exit, allowed.err);
    assertAnswer(allowed.out, "ALLOW", "jwt", "ci-bot");
    assertTrue(allowed.out.contains("\"role\":\"read_only\""), allowed.out); // a token user

    Run refused = bash(CI_BOT.replace("--namespace payments", "--namespace billing"));
    assertEquals(3, refused.exit, refused.err);
    assertAnswer(refused.out, "DENY", "jwt", "ci-bot");
    assertTrue(refused.out.contains("\"status\":\"PERMISSION_DENIED\"")
        && refused.out.contains("holds read"), refused.out); // temporal-system:read

    String token = token("ci-bot.jwt");
    for (Run run : List.of(allowed, refused)) {
      assertFalse(run.out.contains(token) || run.err.contains(token), "the token was printed");
    }
  }

  @Test
  void aliceTokenHasHerPolicyRightsAndHerGroups() throws Exception {
    Run admin = bash(ALICE); // Namespace Admin on payments: group oncall
    assertEquals(0, admin.exit, admin.err);
    assertAnswer(admin.out, "ALLOW", "jwt", "alice@example.com");
    assertTrue(admin.out.contains("\"role\":\"developer\""), admin.out); // the policy user

    Run readBilling = bash(ALICE.replace("UpdateNamespace --namespace payments",
        "ListWorkflowExecutions --namespace billing"));
    assertEquals(0, readBilling.exit, readBilling.out + readBilling.err);

    Run writeBilling = bash(ALICE.replace("UpdateNamespace --namespace payments",
        "StartWorkflowExecution --namespace billing"));
    assertEquals(3, writeBilling.exit, writeBilling.err);
    assertAnswer(writeBilling.out, "DENY", "jwt", "alice@example.com");
  }

  @Test
  void workerCertificateIsTheSpiffeServiceAccountOnPaymentsOnly() throws Exception {
    Run allowed = bash(WORKER);
    assertEquals(0, allowed.exit, allowed.err);
    assertAnswer(allowed.out, "ALLOW", "mtls", SPIFFE_ID);
    assertTrue(allowed.out.contains("\"principal\":\"" + SPIFFE_ID + "\"")
        && allowed.out.contains("\"principal_type\":\"service_account\""), allowed.out);

    Run refused = bash(WORKER.replace("--namespace payments", "--namespace billing"));
    assertEquals(3, refused.exit, refused.err);
    assertAnswer(refused.out, "DENY", "mtls", SPIFFE_ID);
    assertTrue(refused.out.contains("\"status\":\"PERMISSION_DENIED\""), refused.out);
  }

  @Test
  void serveTakesTheExampleTokenAndCertificateOverTls() throws Exception {
    int port = ItSupport.freePort();
    int adminPort = ItSupport.freePort();
    Path log = Files.createTempFile("identity-serve", ".log");
    Process serve = shell("exec " + SERVE + " --listen 127.0.0.1:" + port
        + " --admin 127.0.0.1:" + adminPort)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      try {
        ItSupport.awaitReady(adminPort, serve::isAlive, Duration.ofSeconds(90));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Files.readString(log), e);
      }
      String ciBot = token("ci-bot.jwt");
      SslContextBuilder trustOnly = GrpcSslContexts.forClient().trustManager(file("ca.pem"));
      SslContextBuilder withWorkerCert = GrpcSslContexts.forClient().trustManager(file("ca.pem"))
          .keyManager(file("worker.pem"), file("worker.key"));

      try (Client jwt = Client.connect(port, trustOnly.build(), ciBot)) {
        assertNotNull(jwt.start("payments"));
        assertDenied(() -> jwt.start("billing"));
      }
      try (Client mtls = Client.connect(port, withWorkerCert.build(), null)) {
        assertNotNull(mtls.start("payments"));
        assertDenied(() -> mtls.start("billing"));
      }
      try (Client nobody = Client.connect(port, trustOnly.build(), null)) {
        Throwable thrown = assertThrows(Throwable.class, () -> nobody.start("payments"));
        assertEquals(Status.Code.UNAUTHENTICATED, ItSupport.statusIn(thrown), thrown::toString);
      }

      String metrics = ItSupport.http(adminPort, "/metrics").body();
      String identified = "temporal_rbac_identified_decisions_total";
      for (String by : List.of("jwt", "mtls")) {
        assertTrue(ItSupport.sample(metrics, identified, label("identified_by", by),
            label("decision", "allow")) >= 1, metrics);
        assertEquals(1.0, ItSupport.sample(metrics, identified, label("identified_by", by),
            label("decision", "deny")), metrics);
      }
    } finally {
      serve.destroy(); // SIGTERM to java itself (exec): a graceful stop
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve did not stop after SIGTERM");
    }
    String output = Files.readString(log);
    Files.deleteIfExists(log);
    assertEquals(0, serve.exitValue(), output);
    assertTrue(output.contains("\"identified_by\":\"jwt\",\"credential_id\":\"ci-bot\""),
        "no audit line for the token's denial:\n" + output);
    assertTrue(output.contains("\"identified_by\":\"mtls\",\"credential_id\":\"" + SPIFFE_ID),
        "no audit line for the certificate's denial:\n" + output);
    assertFalse(output.contains(token("ci-bot.jwt")), "serve printed the token");
  }

  private static void assertAnswer(String out, String decision, String by, String credential) {
    assertTrue(out.contains("\"decision\":\"" + decision + "\""), out);
    assertTrue(out.contains("\"identified_by\":\"" + by + "\""), out);
    assertTrue(out.contains("\"credential_id\":\"" + credential + "\""), out);
  }

  private static String token(String name) throws IOException {
    return Files.readString(identity.resolve(name)).strip();
  }

  private static File file(String name) {
    return identity.resolve(name).toFile();
  }

  /** Temporal's SDK over TLS to the proxy, with an optional token sent as its API key. */
  private record Client(WorkflowServiceStubs stubs) implements AutoCloseable {
    static Client connect(int port, SslContext tls, String token) {
      WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
          .setTarget("localhost:" + port) // the example server certificate's name
          .setSslContext(tls);
      if (token != null) {
        options.addApiKey(() -> token);
      }
      return new Client(WorkflowServiceStubs.newServiceStubs(options.build()));
    }

    WorkflowExecution start(String namespace) {
      WorkflowClient client = WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
      return client.newUntypedWorkflowStub("ExampleWorkflow", WorkflowOptions.newBuilder()
          .setTaskQueue(ItSupport.unique("examples"))
          .setWorkflowId(ItSupport.unique("identity")).build()).start();
    }

    @Override
    public void close() throws InterruptedException {
      stubs.shutdownNow();
      stubs.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** bash -c COMMAND in the repository root, with this JVM's {@code java} first on the PATH. */
  private static ProcessBuilder shell(String command) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(root.toFile());
    Map<String, String> env = builder.environment();
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
        + env.getOrDefault("PATH", ""));
    return builder;
  }

  private static Run bash(String command) throws IOException, InterruptedException {
    Path errFile = Files.createTempFile("identity-stderr", ".txt");
    try {
      Process process = shell(command).redirectError(errFile.toFile()).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not finish: " + command);
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
          Files.readString(errFile));
    } finally {
      Files.deleteIfExists(errFile);
    }
  }

  private record Run(int exit, String out, String err) {}
}
