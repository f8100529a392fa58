package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.temporalrbac.proxy.cli.ExitCode;
import dev.temporalrbac.proxy.cli.ServeCommand;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the dashboard and the alert rules read is on a live proxy's {@code /metrics}, with
 * the labels they select and group by, and every value they compare a fixed-set label with
 * ({@link FixedLabelValues}) is one the proxy uses: {@code serve} runs in this JVM (embedded upstream, API keys
 * and JWTs on, a shadow policy, an audit file), answers one allowed, one denied and one
 * unauthenticated call, and is scraped. A name only the rules define (a recording rule's) must be
 * recorded in the rules file; Prometheus' own target labels {@code job} and {@code instance} are
 * not on {@code /metrics}.
 */
class DashboardMetricsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String ALICE_SECRET = "alice-secret-7f3a9c"; // key-alice in policy-ok.yaml
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
  private static final Pattern READY =
      Pattern.compile("ready: proxy on port (\\d+), admin on [^,]*:(\\d+),.*");

  @TempDir static Path dir;
  private static final CountDownLatch STOP = new CountDownLatch(1);
  private static final AtomicInteger EXIT = new AtomicInteger(-1);
  private static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
  private static Thread serve;
  private static Exposition metrics;
  private static String scrape;

  @BeforeAll
  static void serveCallAndScrape() throws Exception {
    String policy = resource("policy-ok.yaml");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(
        new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString());
    List<String> argv = new ArrayList<>(List.of("--policy", policy, "--listen", "127.0.0.1:0",
        "--admin", "127.0.0.1:0", "--shutdown-grace", "0s",
        "--audit-file", dir.resolve("audit.log").toString(),
        // temporal_rbac_jwks_age_seconds is exported only when JWTs are accepted
        "--jwks", jwks.toString(), "--jwt-issuer", "https://idp.example.com/",
        "--jwt-audience", "temporal"));
    // temporal_rbac_shadow_* is exported only with a shadow policy
    argv.addAll(List.of("--shadow-policy", policy));
    int[] ports = start(argv.toArray(String[]::new));
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ports[0])
        .usePlaintext().build();
    try {
      WorkflowServiceBlockingStub anonymous = WorkflowServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + ALICE_SECRET);
      WorkflowServiceBlockingStub alice =
          anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
      // allowed and forwarded: the embedded server's answer does not matter
      Status.Code allowed = code(() -> alice.describeNamespace(
          DescribeNamespaceRequest.newBuilder().setNamespace("payments").build()));
      assertTrue(allowed != Status.Code.PERMISSION_DENIED
          && allowed != Status.Code.UNAUTHENTICATED, allowed.toString());
      assertEquals(Status.Code.PERMISSION_DENIED, code(() -> alice.describeNamespace(
          DescribeNamespaceRequest.newBuilder().setNamespace("billing").build())));
      assertEquals(Status.Code.UNAUTHENTICATED,
          code(() -> anonymous.getClusterInfo(GetClusterInfoRequest.getDefaultInstance())));
    } finally {
      channel.shutdownNow().awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
    scrape = scrapeAfterAGc(ports[1]);
    metrics = Exposition.parse(scrape);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    STOP.countDown();
    if (serve != null) {
      serve.join(PATIENCE.toMillis());
      assertEquals(ExitCode.OK, EXIT.get(), ERR.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theCallsMadeAreCounted() {
    assertTrue(scrape.lines().anyMatch(line -> line.startsWith("temporal_rbac_decisions_total{")
        && line.contains("decision=\"allow\"")), scrape);
    assertTrue(scrape.lines().anyMatch(line -> line.startsWith("temporal_rbac_decisions_total{")
        && line.contains("reason=\"missing_namespace_permission\"")), scrape);
    assertTrue(scrape.lines().anyMatch(line -> line.startsWith("temporal_rbac_decisions_total{")
        && line.contains("reason=\"no_credentials\"")), scrape);
  }

  @Test
  void everyMetricTheDashboardReadsIsExported() {
    assertEquals(List.of(), missing(DeployFiles.dashboardQueries()), "not on /metrics");
  }

  @Test
  void everyMetricTheRulesReadIsExportedOrRecorded() {
    assertEquals(List.of(), missing(DeployFiles.ruleQueries()), "not on /metrics");
  }

  @Test
  void everyLabelTheDashboardSelectsOrGroupsByIsExported() {
    assertEquals(List.of(), unknownLabels(DeployFiles.dashboardQueries()));
  }

  @Test
  void everyLabelTheRulesSelectOrGroupByIsExported() {
    assertEquals(List.of(), unknownLabels(DeployFiles.ruleQueries()));
  }

  @Test
  void everyLabelValueTheDashboardComparesIsOneTheProxyUses() {
    assertEquals(List.of(), FixedLabelValues.problems(DeployFiles.dashboardQueries()));
  }

  @Test
  void everyLabelValueTheRulesCompareIsOneTheProxyUses() {
    assertEquals(List.of(), FixedLabelValues.problems(DeployFiles.ruleQueries()));
  }

  @Test
  void theFixedLabelValueSetsHoldEveryValueOnMetrics() {
    assertEquals(List.of(), FixedLabelValues.metrics().stream()
        .filter(name -> !metrics.has(name)).toList(), "not on /metrics");
    assertEquals(List.of(), FixedLabelValues.unknownOn(metrics));
  }

  /** Listed in the tests (the proxy's enum is package-private), and all on /metrics at once. */
  @Test
  void theAuditDropKindsAreExactlyTheProxys() {
    assertEquals(FixedLabelValues.AUDIT_KINDS,
        metrics.valuesOf("temporal_rbac_audit_dropped_total").get("kind"));
  }

  /** "where: name" for each name a query reads that neither /metrics nor a recording rule has. */
  private static List<String> missing(List<Query> queries) {
    Set<String> recorded = DeployFiles.recordedNames();
    List<String> missing = new ArrayList<>();
    for (Query query : queries) {
      Promql parsed = query.parsed();
      parsed.metricNames().stream().filter(name -> !metrics.has(name))
          .forEach(name -> missing.add(query.where() + ": " + name));
      parsed.recordedNames().stream().filter(name -> !recorded.contains(name))
          .forEach(name -> missing.add(query.where() + ": " + name + " (recorded nowhere)"));
    }
    return missing;
  }

  /**
   * A selector's label must be on its metric; a grouping label on one of the query's metrics
   * (recorded names carry {@code job} at most, a target label).
   */
  private static List<String> unknownLabels(List<Query> queries) {
    List<String> unknown = new ArrayList<>();
    for (Query query : queries) {
      Promql parsed = query.parsed();
      Set<String> anyMetric = new HashSet<>(TARGET_LABELS);
      for (String name : parsed.metricNames()) {
        Set<String> labels = metrics.labelsOf(name);
        anyMetric.addAll(labels);
        for (String label : parsed.selectorLabels().getOrDefault(name, Set.of())) {
          if (!TARGET_LABELS.contains(label) && !labels.contains(label) && metrics.has(name)) {
            unknown.add(query.where() + ": " + name + " has no label " + label + " (it has "
                + new TreeSet<>(labels) + ")");
          }
        }
      }
      Set<String> grouped = new TreeSet<>(parsed.groupLabels());
      grouped.addAll(query.outputLabels());
      grouped.removeAll(anyMetric);
      if (!grouped.isEmpty()) {
        unknown.add(query.where() + ": no metric of the query has label(s) " + grouped);
      }
    }
    return unknown;
  }

  /** Starts serve on its own thread; returns the proxy's and the admin port once it is ready. */
  private static int[] start(String... argv) throws InterruptedException {
    AtomicReference<String> ready = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.startsWith("ready:")) {
          ready.set(message);
          started.countDown();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(ServeCommand.class.getName());
    log.addHandler(handler);
    PrintStream err = new PrintStream(ERR, true, StandardCharsets.UTF_8);
    serve = new Thread(() -> EXIT.set(new ServeCommand(STOP).run(argv,
        new ByteArrayInputStream(new byte[0]), err, err)), "serve-under-test");
    try {
      serve.start();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (serve.isAlive() && System.nanoTime() < deadline
          && !started.await(100, TimeUnit.MILLISECONDS)) {
        // until serve is ready, or has exited on an error
      }
    } finally {
      log.removeHandler(handler);
    }
    if (ready.get() == null) {
      fail("serve did not start (exit " + EXIT.get() + "): " + ERR.toString(StandardCharsets.UTF_8));
    }
    Matcher ports = READY.matcher(ready.get());
    assertTrue(ports.matches(), ready.get());
    return new int[] {Integer.parseInt(ports.group(1)), Integer.parseInt(ports.group(2))};
  }

  /**
   * Scrapes /metrics once the JVM has reported a GC pause: {@code jvm_gc_pause_seconds} is
   * registered at the first GC notification, so one is requested and awaited (bounded).
   */
  private static String scrapeAfterAGc(int adminPort) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(PATIENCE).build();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + adminPort + "/metrics")).timeout(PATIENCE).build();
    System.gc();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      if (response.body().contains("\njvm_gc_pause_seconds_count{")
          || System.nanoTime() > deadline) {
        return response.body();
      }
      Thread.sleep(100); // the GC notification arrives on another thread
    }
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static String resource(String name) throws URISyntaxException {
    return Path.of(DashboardMetricsTest.class.getResource("/" + name).toURI()).toString();
  }
}
