package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One bounded GET against a local server: a server that never answers, bodies that trickle or
 * never end, redirects the client cannot follow, plain http elsewhere. Each bad answer is an
 * IOException naming it.
 */
class HttpFetcherTest {
  private static final long ENDLESS_CAP = 64L << 20; // the server gives up here if never cut

  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong endlessSent = new AtomicLong();
  private final ExecutorService handlers = Executors.newFixedThreadPool(4);
  private HttpServer server;
  private String base;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/trickle", this::trickle);
    server.createContext("/endless", this::endless);
    server.createContext("/silent", this::silent);
    server.createContext("/bad-location", exchange -> redirect(exchange, "/new policy.yaml"));
    server.createContext("/to-https", exchange -> redirect(exchange, base.replace("http:", "https:")
        + "/ok"));
    server.createContext("/ok", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(handlers);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    done.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** No status line, no headers: holds the request until the test ends (10 s at most). */
  private void silent(HttpExchange exchange) throws IOException {
    try {
      done.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.sendResponseHeaders(503, -1);
    exchange.close();
  }

  /** 100 bytes announced, then one byte each 50 ms (5 s in all) until the test ends. */
  private void trickle(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 100);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < 100; i++) {
        out.write('x');
        out.flush();
        if (done.await(50, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A chunked body (no Content-Length) written until the client hangs up (or a cap). */
  private void endless(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[1024];
    try (OutputStream out = exchange.getResponseBody()) {
      while (endlessSent.get() < ENDLESS_CAP && done.getCount() > 0) {
        out.write(chunk);
        endlessSent.addAndGet(chunk.length);
      }
    } catch (IOException e) {
      // the client cancelled the body: expected
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private static HttpFetcher fetcher(Duration timeout) {
    return new HttpFetcher(HttpFetcher.client(timeout), timeout);
  }

  @Test
  void aServerThatNeverAnswersIsCutAtTheFetchTimeout() {
    HttpFetcher fetcher = fetcher(Duration.ofMillis(200));
    IOException e = assertThrows(IOException.class,
        () -> fetcher.get(URI.create(base + "/silent"), null, 1 << 20));
    assertTrue(e.getMessage().contains("within 200 ms (policy.fetch_timeout)"), e.getMessage());
  }

  @Test
  void aBodySentOneByteAtATimeIsCutAtTheFetchTimeout() {
    HttpFetcher fetcher = fetcher(Duration.ofMillis(300));
    IOException e = assertThrows(IOException.class,
        () -> fetcher.get(URI.create(base + "/trickle"), null, 1 << 20));
    assertEquals("no complete answer from " + base + "/trickle within 300 ms"
        + " (policy.fetch_timeout)", e.getMessage());
  }

  @Test
  void anEndlessBodyIsRefusedAtMaxBytes() {
    HttpFetcher fetcher = fetcher(Duration.ofSeconds(30));
    IOException e = assertThrows(IOException.class,
        () -> fetcher.get(URI.create(base + "/endless"), null, 4096));
    assertTrue(e.getMessage().endsWith("the answer is larger than 4096 bytes (policy.max_bytes;"
        + " more than that sent); refused"), e.getMessage());
    assertTrue(endlessSent.get() < ENDLESS_CAP, "the body was cut, not read to the server's cap");
  }

  @Test
  void aLocationThatIsNoUrlIsAnIoException() {
    IOException e = assertThrows(IOException.class,
        () -> fetcher(Duration.ofSeconds(5)).get(URI.create(base + "/bad-location"), null, 100));
    assertEquals(base + "/bad-location redirects to a Location that is not a valid URL (Illegal"
        + " character in path at index 4); not followed", e.getMessage());
  }

  @Test
  void aRedirectToAnotherSchemeIsNotFollowed() {
    IOException e = assertThrows(IOException.class,
        () -> fetcher(Duration.ofSeconds(5)).get(URI.create(base + "/to-https"), null, 100));
    assertTrue(e.getMessage().contains("redirects to another scheme"), e.getMessage());
  }

  @Test
  void plainHttpToAnotherHostIsRefusedBeforeAnyRequest() {
    IOException e = assertThrows(IOException.class, () -> fetcher(Duration.ofSeconds(5))
        .get(URI.create("http://policies.example/p.yaml"), null, 100));
    assertEquals("http://policies.example/p.yaml is plain http to another host: anyone on the"
        + " path could answer it", e.getMessage());
  }

  @Test
  void aGoodAnswerIsReturnedWhole() throws IOException {
    HttpFetcher.Answer answer = fetcher(Duration.ofSeconds(5)).get(URI.create(base + "/ok"),
        null, 100);
    assertEquals(200, answer.status());
    assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), answer.body());
  }
}
