package dev.temporalrbac.proxy.admin;

import java.time.Duration;

/**
 * What one client of the admin port may make it hold. A slow or silent client holds a socket and
 * at most {@code maxHeaderBytes} of buffer, never a thread, and only for {@code requestTimeout}.
 *
 * @param maxHeaderBytes largest request line, and largest header block, accepted; larger is
 *     answered 414 or 431 and the connection closed
 * @param requestTimeout how long a connection may take to deliver a whole request, counted from
 *     when it opens or its previous answer was sent (so it also bounds an idle keep-alive
 *     connection); then it is closed
 * @param maxRequestsPerConnection keep-alive answers on one connection; the last one says
 *     {@code Connection: close}
 * @param maxConnections connections held at once; a new one past this closes the connection that
 *     has waited longest for its request (a busy one is never closed), so holding every slot does
 *     not lock a health check out
 * @param maxPendingScrapes {@code /metrics} requests waiting for the one thread that renders
 *     them (off the event loop); more are answered 503 at once
 */
public record AdminLimits(
    int maxHeaderBytes,
    Duration requestTimeout,
    int maxRequestsPerConnection,
    int maxConnections,
    int maxPendingScrapes) {

  /** 8 KiB headers, 10 s per request, 100 requests per connection, 256 connections, 4 scrapes. */
  public static final AdminLimits DEFAULTS =
      new AdminLimits(8 * 1024, Duration.ofSeconds(10), 100, 256, 4);

  public AdminLimits {
    if (maxHeaderBytes < 256) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 256: " + maxHeaderBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    if (maxRequestsPerConnection < 1 || maxConnections < 1 || maxPendingScrapes < 1) {
      throw new IllegalArgumentException("requests per connection, connections and pending"
          + " scrapes must each be at least 1");
    }
  }
}
