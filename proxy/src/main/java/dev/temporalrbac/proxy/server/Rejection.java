package dev.temporalrbac.proxy.server;

import java.util.Locale;

/**
 * Why the proxy ended a call because of its shape or size rather than its rights: a bounded set,
 * so it can label a metric ({@code temporal_rbac_rejected_calls_total{reason}}).
 */
public enum Rejection {
  /** A request message larger than {@code limits.max_request_bytes} once inflated. */
  REQUEST_TOO_LARGE,
  /** {@code limits.request_buffer_bytes} was spent when the call wanted to send a message. */
  REQUEST_BUDGET,
  /** A second request message on a unary or server-streaming method. */
  TOO_MANY_REQUESTS,
  /** A unary or server-streaming call half-closed without its request message. */
  MISSING_REQUEST,
  /** The request did not arrive within {@code limits.first_message_timeout}. */
  FIRST_MESSAGE_TIMEOUT,
  /** An upstream response message larger than {@code limits.max_response_bytes} once inflated. */
  RESPONSE_TOO_LARGE;

  /** Metric label form, e.g. {@code request_budget}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
