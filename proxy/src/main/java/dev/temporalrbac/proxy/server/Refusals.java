package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Decision;
import io.grpc.Status;
import java.time.Duration;

/**
 * The statuses of calls the proxy ends itself for their size, shape or pace ({@link Rejection}):
 * each says what happened and which setting governs it. Stateless.
 */
final class Refusals {
  private Refusals() {}

  /** A denial decided by the engine: its status, and its message (what was needed and held). */
  static Status denied(Decision decision) {
    return Status.fromCodeValue(Status.Code.valueOf(decision.status().name()).value())
        .withDescription(decision.message());
  }

  static Status requestTooLarge(int maxRequestBytes) {
    return Status.RESOURCE_EXHAUSTED.withDescription("the request message is larger than "
        + "limits.max_request_bytes (" + maxRequestBytes + " bytes) once decompressed; it was not"
        + " forwarded");
  }

  static Status budgetSpent(long requestBufferBytes) {
    return Status.RESOURCE_EXHAUSTED.withDescription("the proxy is already buffering "
        + "limits.request_buffer_bytes (" + requestBufferBytes + " bytes) of requests; the call"
        + " was ended before its next request message was read, retry later");
  }

  /** As grpc-java's own servers answer a second request message on a one-message method. */
  static Status tooManyRequests(String method) {
    return Status.INTERNAL.withDescription("Too many requests: " + method + " takes exactly one"
        + " request message and the call sent another; nothing was forwarded");
  }

  /** As grpc-java's own servers answer an end of stream before the request message. */
  static Status missingRequest(String method) {
    return Status.INTERNAL.withDescription("Half-closed without a request: " + method + " takes"
        + " exactly one request message and the call ended its stream before sending it; nothing"
        + " was forwarded");
  }

  /**
   * DEADLINE_EXCEEDED: a time limit ran out before the request was complete. Not CANCELLED (the
   * caller did not cancel) nor RESOURCE_EXHAUSTED (the proxy is not short of anything; this
   * caller was slow), and clients already treat it as "may retry with a fresh call".
   */
  static Status requestLate(Duration firstMessageTimeout) {
    return Status.DEADLINE_EXCEEDED.withDescription("the request (its message and, for a unary"
        + " call, its end of stream) did not arrive within "
        + "limits.first_message_timeout (" + firstMessageTimeout.toMillis() + " ms) of the call's"
        + " start, so the call was ended");
  }

  static Status responseTooLarge() {
    return Status.RESOURCE_EXHAUSTED.withDescription("an upstream response message is larger"
        + " than limits.max_response_bytes once decompressed; it was withheld");
  }
}
