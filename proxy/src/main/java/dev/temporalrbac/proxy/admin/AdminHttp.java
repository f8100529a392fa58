package dev.temporalrbac.proxy.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP/1.1 half of the admin port, on a JDK {@link HttpServer} bound to an ephemeral loopback
 * port (the {@link AdminServer} listener splices HTTP connections to it):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus scrape, {@code text/plain; version=0.0.4;
 *       charset=utf-8}
 *   <li>{@code GET /healthz}: 200 {@code ok} while the process serves at all
 *   <li>{@code GET /readyz}: 200 when a policy is loaded and the upstream is reachable, else 503
 *       naming what is missing
 * </ul>
 *
 * Other paths are 404, other methods 405 ({@code HEAD} is answered like {@code GET}, without a
 * body). Requests are handled on the executor given; handlers keep no state between requests.
 */
final class AdminHttp {
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger LOG = Logger.getLogger(AdminHttp.class.getName());

  private final Supplier<String> scrape;
  private final PolicyHolder policy;
  private final BooleanSupplier upstreamReady;

  AdminHttp(Supplier<String> scrape, PolicyHolder policy, BooleanSupplier upstreamReady) {
    this.scrape = scrape;
    this.policy = policy;
    this.upstreamReady = upstreamReady;
  }

  /** Starts serving on an ephemeral port of the loopback address. */
  HttpServer start(ExecutorService executor) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    return server;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT, "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics":
          send(exchange, 200, METRICS_CONTENT_TYPE, scrape.get());
          break;
        case "/healthz":
          send(exchange, 200, TEXT, "ok\n");
          break;
        case "/readyz":
          readiness(exchange);
          break;
        default:
          send(exchange, 404, TEXT, "not found; try /metrics, /healthz or /readyz\n");
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "admin HTTP request failed", e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  private void readiness(HttpExchange exchange) throws IOException {
    List<String> missing = new ArrayList<>(2);
    if (policy.current() == null) {
      missing.add("no policy is loaded");
    }
    boolean reachable;
    try {
      reachable = upstreamReady.getAsBoolean();
    } catch (RuntimeException e) {
      reachable = false;
    }
    if (!reachable) {
      missing.add("the upstream is not reachable");
    }
    if (missing.isEmpty()) {
      send(exchange, 200, TEXT, "ready\n");
    } else {
      send(exchange, 503, TEXT, "not ready: " + String.join("; ", missing) + "\n");
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
