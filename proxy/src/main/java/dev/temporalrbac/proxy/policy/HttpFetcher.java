package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.proxy.config.JwksLocation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bounded HTTP GET with the JDK client: the whole exchange (connect, redirects, headers and
 * body) within {@code timeout}, a body refused as soon as it passes its limit (never buffered
 * whole), redirects followed by hand and only to the same scheme, and plain {@code http://} only
 * to a loopback host, signed content or not (a signature does not stop an older signed version
 * being replayed by whoever answers). Every failure, a malformed {@code Location} included, is an
 * {@link IOException}: no runtime exception escapes. Messages name URLs without user info or
 * query ({@link JwksLocation#shown}). Thread-safe; the client is shared.
 */
final class HttpFetcher {
  private static final int MAX_REDIRECTS = 5;

  /**
   * What the server answered.
   *
   * @param status 200, or 304 when {@code If-None-Match} matched
   * @param body the body of a 200; empty otherwise
   * @param etag the {@code ETag} header, or null
   */
  record Answer(int status, byte[] body, String etag) {}

  private final HttpClient client;
  private final Duration timeout;

  HttpFetcher(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** A client that follows no redirect itself, connecting within {@code timeout}. */
  static HttpClient client(Duration timeout) {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  /**
   * GETs {@code uri}.
   *
   * @param ifNoneMatch sent as {@code If-None-Match}; null sends none
   * @param maxBytes the largest body accepted
   * @throws IOException naming the URL and what went wrong: unreachable, timed out, a status
   *     other than 200 or 304, a body over {@code maxBytes}, a redirect elsewhere
   */
  Answer get(URI uri, String ifNoneMatch, long maxBytes) throws IOException {
    check(uri);
    long deadline = System.nanoTime() + timeout.toNanos();
    URI at = uri;
    for (int hop = 0; ; hop++) {
      HttpResponse<byte[]> response = send(at, ifNoneMatch, maxBytes, deadline);
      int status = response.statusCode();
      if (status == 200 || status == 304) {
        return new Answer(status, status == 200 ? response.body() : new byte[0],
            response.headers().firstValue("ETag").orElse(null));
      }
      String location = response.headers().firstValue("Location").orElse(null);
      if (status / 100 != 3 || location == null) {
        throw new IOException(JwksLocation.shown(at.toString()) + " answered HTTP " + status);
      }
      if (hop == MAX_REDIRECTS) {
        throw new IOException(JwksLocation.shown(uri.toString()) + ": more than "
            + MAX_REDIRECTS + " redirects");
      }
      URI next;
      try {
        next = at.resolve(location);
      } catch (IllegalArgumentException e) {
        // the Location itself is not shown: it may carry a credential in its query
        throw new IOException(JwksLocation.shown(at.toString()) + " redirects to a Location"
            + " that is not a valid URL (" + why(e) + "); not followed");
      }
      String scheme = at.getScheme().toLowerCase(Locale.ROOT);
      if (next.getScheme() == null || !next.getScheme().equalsIgnoreCase(scheme)) {
        throw new IOException(JwksLocation.shown(at.toString()) + " redirects to another scheme ("
            + next.getScheme() + "); not followed");
      }
      check(next);
      at = next;
    }
  }

  /** Refuses anything but http(s) with a host, and plain http to a host other than loopback. */
  void check(URI uri) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IOException("not an http(s) URL with a host: " + JwksLocation.shown(uri.toString()));
    }
    if (scheme.equals("http") && !JwksLocation.isLoopback(uri.getHost())) {
      throw new IOException(JwksLocation.shown(uri.toString()) + " is plain http to another host:"
          + " anyone on the path could answer it");
    }
  }

  private HttpResponse<byte[]> send(URI uri, String ifNoneMatch, long maxBytes, long deadline)
      throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timedOut(uri);
    }
    CompletableFuture<HttpResponse<byte[]>> pending;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
          .timeout(Duration.ofNanos(left))
          .header("User-Agent", "temporal-rbac-proxy");
      if (ifNoneMatch != null) {
        request.header("If-None-Match", ifNoneMatch);
      }
      pending = client.sendAsync(request.build(),
          info -> info.statusCode() == 200 ? new LimitedBody(info, maxBytes)
              : new LimitedBody(info, 0));
    } catch (IllegalArgumentException e) { // a URI or header value the client does not accept
      throw new IOException("cannot fetch " + JwksLocation.shown(uri.toString()) + ": the HTTP"
          + " client refuses the request (" + why(e) + ")");
    }
    try {
      return pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut(uri);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + JwksLocation.shown(uri.toString()));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw timedOut(uri);
      }
      String why = cause.getMessage() == null ? cause.getClass().getSimpleName()
          : cause.getMessage().replace(uri.toString(), JwksLocation.shown(uri.toString()));
      throw new IOException("cannot fetch " + JwksLocation.shown(uri.toString()) + ": " + why,
          cause);
    }
  }

  /**
   * What is wrong, without the exception's message (which may quote a URL with a credential): a
   * URI syntax error's reason and index, else the exception's kind.
   */
  private static String why(RuntimeException e) {
    if (e.getCause() instanceof java.net.URISyntaxException syntax) {
      return syntax.getReason() + (syntax.getIndex() < 0 ? "" : " at index " + syntax.getIndex());
    }
    return e.getClass().getSimpleName();
  }

  private IOException timedOut(URI uri) {
    return new IOException("no complete answer from " + JwksLocation.shown(uri.toString())
        + " within " + timeout.toMillis() + " ms (policy.fetch_timeout)");
  }
}
