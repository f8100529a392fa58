package dev.temporalrbac.proxy.admin;

import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.grpc.netty.shaded.io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What each admin path answers, apart from the transport:
 *
 * <ul>
 *   <li>{@code /metrics}: the Prometheus scrape, {@code text/plain; version=0.0.4; charset=utf-8}
 *   <li>{@code /healthz}: 200 {@code ok} while the process serves at all
 *   <li>{@code /readyz}: 200 {@code ready: policy VERSION from SOURCE} (and
 *       {@code ; shadow policy VERSION} with a shadow policy) when a policy is loaded and the
 *       upstream is ready, else 503 naming what is missing (and why no policy is loaded: the
 *       source's error)
 *   <li>{@code /.well-known/jwks.json} and {@code /jwks.json}: in
 *       {@code upstream.credentials.mode: mint}, the public key the upstream tokens are signed
 *       with ({@code application/json}), so the upstream can verify them; 404 in other modes
 * </ul>
 *
 * Thread-safe: {@link #metrics()} runs on the scrape thread, the rest on the event loop.
 */
final class AdminPages {
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  private static final Logger LOG = Logger.getLogger(AdminPages.class.getName());

  static final Page HEALTHY = new Page(HttpResponseStatus.OK, TEXT, "ok\n");
  static final Page NOT_FOUND = new Page(HttpResponseStatus.NOT_FOUND, TEXT,
      "not found; try /metrics, /healthz or /readyz\n");
  static final Page NOT_ALLOWED = new Page(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT,
      "method not allowed; use GET or HEAD\n");
  static final Page SCRAPES_BUSY = new Page(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
      "too many /metrics requests are waiting to be rendered; retry\n");

  /** One answer: status, content type and body (sent without the body for HEAD). */
  record Page(HttpResponseStatus status, String contentType, String body) {}

  /** The enforced policy's holder, and the shadow policy's (null when there is none). */
  record Policies(PolicyHolder enforced, PolicyHolder shadow) {}

  private final Supplier<String> scrape;
  private final Policies policy;
  private final BooleanSupplier upstreamReady;
  private final Page jwks;

  /**
   * @param upstreamReady asked on each {@code /readyz}, on the event loop: must not block (read a
   *     state that a probe keeps up to date)
   * @param publicJwks the minting key's public JWKS as JSON; null when the proxy mints nothing
   */
  AdminPages(Supplier<String> scrape, Policies policy, BooleanSupplier upstreamReady,
      String publicJwks) {
    this.scrape = scrape;
    this.policy = policy;
    this.upstreamReady = upstreamReady;
    this.jwks = publicJwks == null ? NOT_FOUND : new Page(HttpResponseStatus.OK, JSON, publicJwks);
  }

  /** The minting key's JWKS, or {@link #NOT_FOUND} when the proxy mints no tokens. */
  Page jwks() {
    return jwks;
  }

  Page metrics() {
    try {
      return new Page(HttpResponseStatus.OK, METRICS_CONTENT_TYPE, scrape.get());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the metrics could not be rendered", e);
      return new Page(HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT,
          "the metrics could not be rendered (" + e.getClass().getSimpleName() + ")\n");
    }
  }

  Page readiness() {
    List<String> missing = new ArrayList<>(2);
    PolicySnapshot current = policy.enforced().current();
    if (current == null) {
      String why = policy.enforced().problem();
      missing.add("no policy is loaded" + (why == null ? "" : " (" + why + ")"));
    }
    boolean ready;
    try {
      ready = upstreamReady.getAsBoolean();
    } catch (RuntimeException e) {
      ready = false;
    }
    if (!ready) {
      missing.add("the upstream is not reachable");
    }
    return missing.isEmpty()
        ? new Page(HttpResponseStatus.OK, TEXT, "ready: policy " + current.version() + " from "
            + current.source() + shadow() + "\n")
        : new Page(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
            "not ready: " + String.join("; ", missing) + "\n");
  }

  /** "; shadow policy VERSION" (or why there is none yet), or nothing without a shadow policy. */
  private String shadow() {
    if (policy.shadow() == null) {
      return "";
    }
    PolicySnapshot shadow = policy.shadow().current();
    if (shadow != null) {
      return "; shadow policy " + shadow.version();
    }
    String why = policy.shadow().problem();
    return "; shadow policy none yet" + (why == null ? "" : " (" + why + ")");
  }

  /** The answer to a request the decoder could not read; the connection is closed after it. */
  static Page malformed(Throwable cause, int maxHeaderBytes) {
    if (cause instanceof TooLongHttpLineException) {
      return new Page(HttpResponseStatus.REQUEST_URI_TOO_LONG, TEXT,
          "the request line is longer than " + maxHeaderBytes + " bytes\n");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Page(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, TEXT,
          "the request headers are longer than " + maxHeaderBytes + " bytes\n");
    }
    return new Page(HttpResponseStatus.BAD_REQUEST, TEXT, "the request is not valid HTTP/1.1\n");
  }
}
