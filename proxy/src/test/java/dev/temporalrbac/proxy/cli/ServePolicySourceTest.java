package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with a directory or URL policy source: start-up and readiness per source kind. */
class ServePolicySourceTest {
  private static final Pattern ADMIN = Pattern.compile("admin on [^,]*:(\\d+),");

  @TempDir Path dir;

  @Test
  void anInvalidDirectoryStopsStartUpNamingFileAndLine() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "users:\n  - {id: u, role: developer}\n");
    Files.writeString(dir.resolve("b.yaml"), "service_accounts:\n  - {id: u, role: developer}\n");
    CliRun run = CliRun.of("serve", "--policy-dir", dir.toString(), "--listen", "127.0.0.1:0",
        "--admin", "127.0.0.1:0", "--upstream", "127.0.0.1:1");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().contains(dir.resolve("b.yaml") + ":2: service_accounts[0].id:"
        + " duplicate principal id 'u' (users and service accounts share one id space; first"
        + " defined at " + dir.resolve("a.yaml") + ":2)"), run.err());
  }

  @Test
  void aSignedFileWithoutItsSignatureStopsStartUp() throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(java.security.KeyPairGenerator
            .getInstance("EC").generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    CliRun run = CliRun.of("serve", "--policy", CliRun.resource("policy-ok.yaml"),
        "--policy-signature-key", key.toString(), "--listen", "127.0.0.1:0",
        "--admin", "127.0.0.1:0", "--upstream", "127.0.0.1:1");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().contains("policy-ok.yaml: signature: no signature"), run.err());
  }

  @Test
  void aFailingUrlStartsNotReadyAndBecomesReadyWhenItAnswers() throws Exception {
    // the policy server answers 503 until it is "up" (a freed port could be taken by the proxy's
    // own listeners meanwhile, so the server keeps it; HttpSourceTest covers a closed port)
    java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean();
    HttpServer up = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int port = up.getAddress().getPort();
    byte[] policy = Files.readAllBytes(Path.of(CliRun.resource("policy-ok.yaml")));
    AtomicReference<String> ready = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getMessage() != null && record.getMessage().startsWith("ready:")) {
          ready.set(record.getMessage());
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
    CountDownLatch stop = new CountDownLatch(1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    String[] argv = {"--policy-url", "http://127.0.0.1:" + port + "/p.yaml", "--listen",
        "127.0.0.1:0", "--admin", "127.0.0.1:0", "--upstream", "127.0.0.1:1",
        "--reload-interval", "100ms", "--shutdown-grace", "0s"};
    Thread serve = new Thread(() -> exit.set(new ServeCommand(stop).run(argv,
        new ByteArrayInputStream(new byte[0]), new PrintStream(err, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))), "serve-under-test");
    up.createContext("/p.yaml", exchange -> {
      byte[] body = serving.get() ? policy : new byte[0];
      exchange.sendResponseHeaders(serving.get() ? 200 : 503, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    up.start();
    try {
      serve.start();
      assertTrue(started.await(60, TimeUnit.SECONDS), "serve did not start: " + err);
      Matcher admin = ADMIN.matcher(ready.get());
      assertTrue(admin.find(), ready.get());
      URI readyz = URI.create("http://127.0.0.1:" + admin.group(1) + "/readyz");
      HttpResponse<String> notReady = get(readyz);
      assertEquals(503, notReady.statusCode());
      assertEquals("not ready: no policy is loaded (http://127.0.0.1:" + port + "/p.yaml"
          + " answered HTTP 503); the upstream is not reachable\n", notReady.body());

      serving.set(true);
      String body = notReady.body();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (body.contains("no policy is loaded") && System.nanoTime() < deadline) {
        Thread.sleep(50); // polling for the next reload, bounded
        body = get(readyz).body();
      }
      // the upstream (127.0.0.1:1) stays down, so the only thing missing now is the upstream
      assertEquals("not ready: the upstream is not reachable\n", body);
    } finally {
      stop.countDown();
      serve.join(TimeUnit.SECONDS.toMillis(30));
      log.removeHandler(handler);
      up.stop(0);
    }
    assertEquals(ExitCode.OK, exit.get(), err.toString(StandardCharsets.UTF_8));
    assertNotNull(ready.get());
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
