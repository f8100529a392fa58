package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.cli.ServeCommand;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;

/** Fixtures shared by the end-to-end tests: ports, the proxy in this JVM, metrics, SDK clients. */
final class ItSupport {
  static final String DECISIONS = "temporal_rbac_decisions_total";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ItSupport() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a test resource into {@code dir}, so a test may rewrite it (hot reload). */
  static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = ItSupport.class.getResourceAsStream("/" + name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** Replaces a file's content in one step, so the watcher never reads half of it. */
  static void rewrite(Path file, String content) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  static HttpResponse<String> http(int port, String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Waits for {@code /readyz} on the admin port to answer 200 (policy loaded, upstream up). */
  static void awaitReady(int adminPort, BooleanSupplier alive, Duration timeout) {
    await("the proxy's /readyz on port " + adminPort, timeout, () -> {
      assertTrue(alive.getAsBoolean(), "the proxy stopped before it was ready");
      try {
        return http(adminPort, "/readyz").statusCode() == 200;
      } catch (IOException notYetListening) {
        return false;
      }
    });
  }

  /**
   * Sum of the samples of {@code name} that carry every label ({@code key="value"}) given: the
   * Prometheus text format, one sample per line.
   */
  static double sample(String metrics, String name, String... labels) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static String label(String key, String value) {
    return key + "=\"" + value + "\"";
  }

  /** The status code of the first {@link StatusRuntimeException} in the cause chain, or null. */
  static Status.Code statusIn(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException e) {
        return e.getStatus().getCode();
      }
    }
    return null;
  }

  /** Fails unless {@code call} throws with PERMISSION_DENIED somewhere in its cause chain. */
  static void assertDenied(Executable call) {
    Throwable thrown = assertThrows(Throwable.class, call);
    assertEquals(Status.Code.PERMISSION_DENIED, statusIn(thrown), () -> String.valueOf(thrown));
  }

  /**
   * Fails unless {@code call} throws with {@code code} as the first status in its cause chain;
   * returns that status exception, for its message.
   */
  static StatusRuntimeException refused(Status.Code code, Executable call) {
    Throwable thrown = assertThrows(Throwable.class, call);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException e) {
        assertEquals(code, e.getStatus().getCode(), () -> String.valueOf(e));
        return e;
      }
    }
    throw new AssertionError("expected " + code + ", got " + thrown, thrown);
  }

  /** A name no other test uses (task queues, workflow ids). */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** Temporal's SDK connected to a proxy with an API key: plaintext, gzip and headers left on. */
  record Sdk(WorkflowServiceStubs stubs, WorkflowClient client) implements AutoCloseable {
    static Sdk connect(int port, String secret, String namespace) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder()
              .setTarget("127.0.0.1:" + port)
              .setEnableHttps(false) // addApiKey alone would switch TLS on
              .addApiKey(() -> secret)
              .build());
      return new Sdk(stubs, WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(namespace).build()));
    }

    /** Temporal's SDK connected with {@code options} (TLS, client certificates and the like). */
    static Sdk connect(WorkflowServiceStubsOptions options, String namespace) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options);
      return new Sdk(stubs, WorkflowClient.newInstance(stubs,
          WorkflowClientOptions.newBuilder().setNamespace(namespace).build()));
    }

    @Override
    public void close() throws InterruptedException {
      stubs.shutdownNow();
      stubs.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** Starts an SDK worker on {@code queue} running {@link OrderFlow}'s workflow and activity. */
  static WorkerFactory startOrderWorker(Sdk sdk, String queue) {
    WorkerFactory factory = WorkerFactory.newInstance(sdk.client());
    Worker worker = factory.newWorker(queue);
    worker.registerWorkflowImplementationTypes(OrderFlow.OrderWorkflowImpl.class);
    worker.registerActivitiesImplementations(new OrderFlow.ChargeActivityImpl());
    factory.start();
    return factory;
  }

  /**
   * Runs one {@link OrderFlow} order on a fresh task queue: {@code worker} polls it, {@code
   * client} starts the workflow and waits for its result, which is returned.
   */
  static String processOneOrder(Sdk worker, Sdk client, String queue, String order) {
    WorkerFactory factory = startOrderWorker(worker, queue);
    try {
      OrderFlow.OrderWorkflow workflow = client.client().newWorkflowStub(
          OrderFlow.OrderWorkflow.class, orderOptions(queue, "order-" + UUID.randomUUID()));
      return workflow.process(order);
    } finally {
      shutdown(factory);
    }
  }

  static void shutdown(WorkerFactory factory) {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Options for one {@link OrderFlow} run that no worker has to pick up within the test. */
  static WorkflowOptions orderOptions(String queue, String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(workflowId)
        .setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build();
  }

  /** The proxy's {@code serve} command running in this JVM until closed. */
  static final class InJvmProxy implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    final int port = freePort();
    final int adminPort = freePort();
    final Path auditFile;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private final Thread thread;

    private InJvmProxy(Path dir, Path policy, String upstream, String... extra) {
      auditFile = dir.resolve("audit-" + COUNT.incrementAndGet() + ".jsonl");
      List<String> argv = new ArrayList<>(List.of("--policy", policy.toString(),
          "--upstream", upstream, "--listen", "127.0.0.1:" + port,
          "--admin", "127.0.0.1:" + adminPort, "--reload-interval", "200ms",
          "--audit-file", auditFile.toString(), "--shutdown-grace", "1s"));
      argv.addAll(List.of(extra));
      PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
      thread = new Thread(() -> exit.set(new ServeCommand(stop).run(argv.toArray(String[]::new),
          new ByteArrayInputStream(new byte[0]), errStream, errStream)), "in-jvm-proxy");
      thread.setDaemon(true);
    }

    /** Starts {@code serve} with the given policy and upstream and waits until it is ready. */
    static InJvmProxy start(Path dir, Path policy, String upstream, String... extra) {
      InJvmProxy proxy = new InJvmProxy(dir, policy, upstream, extra);
      proxy.thread.start();
      try {
        awaitReady(proxy.adminPort, proxy.thread::isAlive, Duration.ofSeconds(60));
      } catch (AssertionError e) {
        proxy.stop.countDown();
        throw new AssertionError(e.getMessage() + "; serve said: " + proxy.output(), e);
      }
      return proxy;
    }

    String metrics() {
      try {
        return http(adminPort, "/metrics").body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** One metric, summed over the samples with every label given. */
    double metric(String name, String... labels) {
      return sample(metrics(), name, labels);
    }

    /** Decisions counted for one method, summed over the labels given (e.g. decision, reason). */
    double decisions(String method, String... labels) {
      List<String> all = new ArrayList<>(List.of(labels));
      all.add(label("method", method));
      return metric(DECISIONS, all.toArray(String[]::new));
    }

    /** The audit log so far (one JSON line per denied call). */
    List<String> audit() {
      try {
        return Files.exists(auditFile) ? Files.readAllLines(auditFile) : List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String output() {
      return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      stop.countDown();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertTrue(!thread.isAlive() && exit.get() == 0,
          "serve did not stop cleanly (exit " + exit.get() + "): " + output());
    }
  }
}
