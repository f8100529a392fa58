package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy served over HTTP by a local server: change, 304, signature, down, oversize, an error
 * status. (A slow server and redirects the client cannot follow: {@link HttpFetcherTest}.)
 */
class HttpSourceTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final String METHOD =
      "/temporal.api.workflowservice.v1.WorkflowService/ListNamespaces";

  @TempDir
  Path dir;
  private final List<String> ifNoneMatch = Collections.synchronizedList(new ArrayList<>());
  private final List<Instant> confirmations = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();
  private volatile byte[] body;
  private volatile byte[] signature;
  /** When set, the policy URL answers 302 with this Location. */
  private volatile String location;
  private final ExecutorService handlers = Executors.newFixedThreadPool(4);
  private HttpServer server;
  private int port;
  private Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  private final PolicyHolder holder = new PolicyHolder(null);

  private final ReloadListener listener = new ReloadListener() {
    @Override
    public void installed(PolicySnapshot snapshot) {}

    @Override
    public void rejected(String source, String error) {
      rejections.add(error);
    }

    @Override
    public void confirmed(Instant at) {
      confirmations.add(at);
    }
  };

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    handlers.shutdownNow();
  }

  private void serve(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
    server.createContext("/p.yaml", this::policy);
    server.createContext("/p.yaml.jws", exchange -> send(exchange, 200, signature, null));
    server.setExecutor(handlers);
    server.start();
    port = server.getAddress().getPort();
  }

  private void policy(HttpExchange exchange) throws IOException {
    ifNoneMatch.add(exchange.getRequestHeaders().getFirst("If-None-Match"));
    if (location != null) {
      exchange.getResponseHeaders().set("Location", location);
      send(exchange, 302, null, null);
      return;
    }
    String etag = "\"" + PolicyContent.document(body, "x").version() + "\"";
    if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      send(exchange, 304, null, etag);
    } else {
      send(exchange, 200, body, etag);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes, String etag)
      throws IOException {
    if (etag != null) {
      exchange.getResponseHeaders().set("ETag", etag);
    }
    exchange.sendResponseHeaders(status, bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  private static byte[] policy(String... users) {
    StringBuilder text = new StringBuilder("users:\n");
    for (String user : users) {
      text.append("  - {id: ").append(user).append(", role: developer}\n");
    }
    text.append("api_keys:\n  - {id: k, owner: ").append(users[0]).append(", sha256: ")
        .append(Authorizer.hashSecret("secret")).append("}\n");
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private PolicyWatcher watcher(PolicySignature check, Duration timeout, long maxBytes) {
    URI url = URI.create("http://127.0.0.1:" + port + "/p.yaml");
    HttpSource source = HttpSource.create(url,
        check == null ? null : URI.create(url + ".jws"), timeout, maxBytes);
    return new PolicyWatcher(source, check, holder, listener, clock, Duration.ofSeconds(1));
  }

  private PolicyWatcher watcher() {
    return watcher(null, Duration.ofSeconds(5), 1 << 20);
  }

  @Test
  void changeInstallsAnd304KeepsWithTheETagSent() throws Exception {
    body = policy("alice");
    serve(0);
    PolicyWatcher watcher = watcher();
    assertTrue(watcher.checkNow(), "installed at first sight: a URL source does not settle");
    String first = holder.current().version();
    assertEquals("http://127.0.0.1:" + port + "/p.yaml", holder.current().source());
    assertNull(ifNoneMatch.get(0), "nothing in force: nothing to ask about");

    assertFalse(watcher.checkNow());
    assertEquals("\"" + first + "\"", ifNoneMatch.get(1));
    assertEquals(first, holder.current().version());
    assertEquals(2, confirmations.size(), "the install and the 304 both confirm the source");

    body = policy("alice", "bob");
    assertTrue(watcher.checkNow());
    assertNotNull(holder.current().principal("bob"));
    assertEquals(2, watcher.status().succeeded());
  }

  @Test
  void signatureMismatchIsRejectedAndTheLastGoodStays() throws Exception {
    PolicySigner signer = new PolicySigner("k1");
    PolicySignature check = new PolicySignature(
        SignatureKeys.file(signer.writePem(dir.resolve("policy.pem"))));
    body = policy("alice");
    signature = signer.sign(body);
    serve(0);
    PolicyWatcher watcher = watcher(check, Duration.ofSeconds(5), 1 << 20);
    assertTrue(watcher.checkNow());
    String good = holder.current().version();

    body = policy("alice", "mallory"); // the old signature no longer covers the body
    assertFalse(watcher.checkNow());
    assertEquals(good, holder.current().version());
    assertEquals(1, rejections.size());
    assertTrue(rejections.get(0).startsWith("signature: the signature does not verify with key"),
        rejections.get(0));
    assertFalse(watcher.checkNow(), "the same rejected pair is not counted again");
    assertEquals(1, watcher.status().failed());

    signature = new PolicySigner("k1").sign(body); // signed, but by a key not configured
    assertFalse(watcher.checkNow());
    assertEquals(good, holder.current().version());
    assertEquals(2, watcher.status().failed());

    signature = signer.sign(body); // the owner signs it: installed without the body changing
    assertTrue(watcher.checkNow());
    assertNotNull(holder.current().principal("mallory"));
  }

  @Test
  void serverDownAtStartIsNotReadyAndDeniesThenReadyOnceItAnswers() throws Exception {
    serve(0);
    int freePort = port;
    server.stop(0);
    server = null;
    port = freePort;
    PolicyWatcher watcher = watcher();
    assertFalse(watcher.checkNow());
    assertNull(holder.current());
    assertTrue(holder.problem().startsWith("cannot fetch http://127.0.0.1:" + port + "/p.yaml: "),
        holder.problem());
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), clock);
    Decision denied = authorizer.refusalAtHeaders(holder.current(), Caller.apiKey("secret"),
        METHOD);
    assertEquals(Reason.NO_POLICY, denied.reason());

    body = policy("alice");
    serve(freePort);
    assertTrue(watcher.checkNow(), "ready on the first good fetch");
    assertNull(holder.problem());
    assertNull(authorizer.refusalAtHeaders(holder.current(), Caller.apiKey("secret"), METHOD));
  }

  @Test
  void serverDownLaterKeepsTheLastGood() throws Exception {
    body = policy("alice");
    serve(0);
    PolicyWatcher watcher = watcher();
    assertTrue(watcher.checkNow());
    String good = holder.current().version();
    server.stop(0);
    server = null;
    assertFalse(watcher.checkNow());
    assertFalse(watcher.checkNow());
    assertEquals(good, holder.current().version());
    assertEquals(1, watcher.status().failed(), "one failure per streak");
    assertTrue(watcher.status().lastError().contains("cannot fetch"), watcher.status().lastError());
    assertNull(holder.problem(), "a policy is loaded: readiness is not lost");
  }

  @Test
  void aLocationThatIsNoUrlIsAFailedReadAtStartAndLater() throws Exception {
    location = "/new policy.yaml"; // not URL-encoded: java.net.URI refuses it
    serve(0);
    PolicyWatcher watcher = watcher();
    assertFalse(watcher.checkNow(), "at start: no exception, nothing loaded");
    assertNull(holder.current());
    String error = "http://127.0.0.1:" + port + "/p.yaml redirects to a Location that is not a"
        + " valid URL (Illegal character in path at index 4); not followed";
    assertEquals(error, holder.problem(), "not ready, and /readyz says why");
    assertEquals(1, watcher.status().failed());

    location = null;
    body = policy("alice");
    assertTrue(watcher.checkNow());
    String good = holder.current().version();
    location = "/new policy.yaml";
    assertFalse(watcher.checkNow());
    assertFalse(watcher.checkNow());
    assertEquals(good, holder.current().version(), "the last good version stays");
    assertEquals(2, watcher.status().failed(), "counted once per streak");
    assertEquals(error, watcher.status().lastError());
    assertEquals(List.of(error, error), rejections);
  }

  @Test
  void oversizeBodyIsRefused() throws Exception {
    body = policy("alice");
    serve(0);
    PolicyWatcher watcher = watcher(null, Duration.ofSeconds(5), body.length - 1);
    assertFalse(watcher.checkNow());
    assertNull(holder.current());
    assertTrue(watcher.status().lastError().contains("larger than " + (body.length - 1)
        + " bytes (policy.max_bytes"), watcher.status().lastError());
  }

  @Test
  void errorStatusIsAFailureNamingIt() throws Exception {
    serve(0);
    server.createContext("/missing.yaml", exchange -> send(exchange, 404, null, null));
    HttpSource source = HttpSource.create(
        URI.create("http://127.0.0.1:" + port + "/missing.yaml"), null, Duration.ofSeconds(5),
        1000);
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> source.read(null));
    assertEquals("http://127.0.0.1:" + port + "/missing.yaml answered HTTP 404", e.getMessage());
  }
}
