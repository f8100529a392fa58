package dev.temporalrbac.it;

import static dev.temporalrbac.it.ItSupport.assertDenied;
import static dev.temporalrbac.it.ItSupport.label;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.it.ItSupport.Sdk;
import dev.temporalrbac.it.OrderFlow.ChargeActivityImpl;
import dev.temporalrbac.it.OrderFlow.OrderWorkflow;
import dev.temporalrbac.it.OrderFlow.OrderWorkflowImpl;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's command, run from the repository root as a separate process: {@code java -jar
 * proxy/target/temporal-rbac-proxy.jar serve --config examples/proxy.yaml}, with only the ports
 * overridden. The example config names no upstream, so the jar serves its embedded Temporal
 * server; the SDK, with the README's example keys, gets one allowed round trip and one denial.
 */
@Timeout(120)
class FatJarEmbeddedTest {
  private static final String ALICE = "example-alice-secret"; // developer: payments write, billing read
  private static final String CI = "example-ci-secret";       // payments-ci: scoped to payments, write
  private static final String VICTOR = "example-victor-secret"; // read_only: payments read

  private Process proxy;
  private Path log;
  private int port;
  private int adminPort;

  @BeforeEach
  void start() throws Exception {
    Path jar = Path.of(System.getProperty("proxy.jar", "../proxy/target/temporal-rbac-proxy.jar"))
        .toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), "the fat jar must be built first: " + jar);
    Path root = jar.getParent().getParent().getParent();
    assertTrue(Files.isRegularFile(root.resolve("examples/proxy.yaml")), "no examples/ at " + root);
    port = ItSupport.freePort();
    adminPort = ItSupport.freePort();
    log = Files.createTempFile("fat-jar-serve", ".log");
    proxy = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "serve", "--config", "examples/proxy.yaml",
        "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:" + adminPort))
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      ItSupport.awaitReady(adminPort, proxy::isAlive, Duration.ofSeconds(90));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + Files.readString(log), e);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy.isAlive()) {
      proxy.destroyForcibly();
      proxy.waitFor(30, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }

  @Test
  void exampleKeysRunAWorkflowOnTheEmbeddedServerAndAreRefusedWhereTheyMayNotWrite()
      throws Exception {
    String queue = "payments-" + UUID.randomUUID();
    try (Sdk worker = Sdk.connect(port, CI, "payments");
        Sdk alice = Sdk.connect(port, ALICE, "payments");
        Sdk aliceOnBilling = Sdk.connect(port, ALICE, "billing")) {
      WorkerFactory factory = WorkerFactory.newInstance(worker.client());
      Worker payments = factory.newWorker(queue);
      payments.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
      payments.registerActivitiesImplementations(new ChargeActivityImpl());
      factory.start();
      try {
        OrderWorkflow workflow = alice.client().newWorkflowStub(OrderWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue)
                .setWorkflowId("invoice-" + UUID.randomUUID()).build());
        assertEquals("charged invoice-42", workflow.process("invoice-42"));

        OrderWorkflow billing = aliceOnBilling.client().newWorkflowStub(OrderWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("invoice-" + UUID.randomUUID()).build());
        assertDenied(() -> WorkflowClient.start(billing::process, "invoice-43"));
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      }
    }

    String metrics = ItSupport.http(adminPort, "/metrics").body();
    String start = label("method", "StartWorkflowExecution");
    assertTrue(ItSupport.sample(metrics, ItSupport.DECISIONS, start,
        label("decision", "allow")) >= 1, metrics);
    assertEquals(1.0, ItSupport.sample(metrics, ItSupport.DECISIONS, start,
        label("decision", "deny"), label("reason", "missing_namespace_permission")), metrics);
    assertTrue(ItSupport.sample(metrics, ItSupport.DECISIONS,
        label("method", "RespondActivityTaskCompleted"), label("decision", "allow")) >= 1, metrics);

    proxy.destroy(); // SIGTERM: graceful stop, exit 0
    assertTrue(proxy.waitFor(60, TimeUnit.SECONDS), "serve did not stop after SIGTERM");
    String output = Files.readString(log);
    assertEquals(0, proxy.exitValue(), output);
    assertTrue(output.contains("embedded Temporal"), "the embedded server was not used:\n" + output);
    assertTrue(output.contains("\"principal\":\"alice@example.com\"")
        && output.contains("\"namespaces\":[\"billing\"]"), "no audit line for the denial:\n" + output);
  }

  /**
   * The README's Temporal CLI example, {@code temporal operator namespace describe --namespace
   * payments} with victor's key, makes one DescribeNamespace call: the embedded server answers it.
   * The call it replaced, ListWorkflowExecutions ({@code temporal workflow list}), passes the
   * proxy but the embedded server does not implement it; the start the README says is refused is.
   */
  @Test
  void theReadmeCliExampleCallsAMethodTheEmbeddedServerImplements() throws Exception {
    try (Sdk victor = Sdk.connect(port, VICTOR, "payments")) {
      var stub = victor.stubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
      assertEquals("payments", stub.describeNamespace(DescribeNamespaceRequest.newBuilder()
          .setNamespace("payments").build()).getNamespaceInfo().getName());

      ItSupport.refused(Status.Code.UNIMPLEMENTED, () -> stub.listWorkflowExecutions(
          ListWorkflowExecutionsRequest.newBuilder().setNamespace("payments").build()));

      OrderWorkflow demo = victor.client().newWorkflowStub(OrderWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue("demo").setWorkflowId("demo-1").build());
      assertDenied(() -> WorkflowClient.start(demo::process, "demo"));
    }
  }
}
