package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with a directory or URL policy source: start-up and readiness per source kind. */
class ServePolicySourceTest {
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
    up.createContext("/p.yaml", exchange -> {
      byte[] body = serving.get() ? policy : new byte[0];
      exchange.sendResponseHeaders(serving.get() ? 200 : 503, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    up.start();
    ServeInThread serve = new ServeInThread("--policy-url", "http://127.0.0.1:" + port
        + "/p.yaml", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--upstream",
        "127.0.0.1:1", "--reload-interval", "100ms", "--shutdown-grace", "0s");
    try {
      HttpResponse<String> notReady = serve.admin("/readyz");
      assertEquals(503, notReady.statusCode());
      assertEquals("not ready: no policy is loaded (http://127.0.0.1:" + port + "/p.yaml"
          + " answered HTTP 503); the upstream is not reachable\n", notReady.body());

      serving.set(true);
      String body = notReady.body();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (body.contains("no policy is loaded") && System.nanoTime() < deadline) {
        Thread.sleep(50); // polling for the next reload, bounded
        body = serve.admin("/readyz").body();
      }
      // the upstream (127.0.0.1:1) stays down, so the only thing missing now is the upstream
      assertEquals("not ready: the upstream is not reachable\n", body);
    } finally {
      up.stop(0);
      assertEquals(ExitCode.OK, serve.stop(), serve.err());
    }
  }

  @Test
  void aShadowPolicyIsNamedInReadinessAndMetrics() throws Exception {
    Path shadow = Files.writeString(dir.resolve("shadow.yaml"), "users:\n"
        + "  - {id: alice@example.com, role: read_only}\n");
    String version = dev.temporalrbac.policy.load.PolicyLoader.version(Files.readAllBytes(shadow));
    String policy = CliRun.resource("policy-ok.yaml");
    String enforced = dev.temporalrbac.policy.load.PolicyLoader.version(
        Files.readAllBytes(Path.of(policy)));
    // no --upstream: the embedded Temporal test server, so the proxy turns ready
    ServeInThread serve = new ServeInThread("--policy", policy, "--shadow-policy",
        shadow.toString(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--shutdown-grace", "0s");
    try {
      String body = serve.admin("/readyz").body();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!body.startsWith("ready") && System.nanoTime() < deadline) {
        Thread.sleep(50); // the embedded upstream's first probe, bounded
        body = serve.admin("/readyz").body();
      }
      assertEquals("ready: policy " + enforced + " from " + policy + "; shadow policy " + version
          + "\n", body);
      String metrics = serve.admin("/metrics").body();
      assertTrue(metrics.contains("temporal_rbac_shadow_policy_info{version=\"" + version
          + "\"} 1"), metrics);
      assertTrue(metrics.contains("temporal_rbac_policy_info{version=\"" + enforced + "\"} 1"));
      assertTrue(metrics.contains("temporal_rbac_policy_last_success_timestamp_seconds "));
    } finally {
      assertEquals(ExitCode.OK, serve.stop(), serve.err());
    }
  }
}
