package dev.temporalrbac.proxy.server;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Bounds how long a call may wait for an upstream connection ({@code upstream.connect_timeout}).
 * gRPC holds a call made while its channel is connecting until the connection is up, and an
 * upstream that accepts TCP but never answers the HTTP/2 handshake keeps it connecting for ever:
 * without this bound such a call would never end, deadline or not.
 *
 * <p>Hot path: a call on a READY channel costs one volatile read and nothing else. Only a call
 * that finds the channel not READY is wrapped in a {@link ConnectWaitingCall} with a timer.
 * Thread-safe and immutable.
 */
final class ConnectTimeout {
  private final long timeoutNanos;
  private final Status unreachable;

  /**
   * @param target the upstream, named in the failure message
   * @param timeout how long a call may wait for a connection
   */
  ConnectTimeout(String target, Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.unreachable = Status.UNAVAILABLE.withDescription("the upstream " + target
        + " could not be reached: no connection within upstream.connect_timeout ("
        + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms")
        + ")");
  }

  /**
   * A call on {@code channel}; when the channel is not READY, it ends UNAVAILABLE unless its
   * stream is opened on a connection within the timeout, which runs on {@code timer}.
   */
  <Q, R> ClientCall<Q, R> newCall(ManagedChannel channel, ScheduledExecutorService timer,
      MethodDescriptor<Q, R> method, CallOptions options) {
    if (channel.getState(false) == ConnectivityState.READY) {
      return channel.newCall(method, options);
    }
    return ConnectWaitingCall.create(channel, method, options, timer, timeoutNanos, unreachable);
  }

  /** Whether {@code call} was made without a connection and waits for one (or its timeout). */
  static boolean waitsForConnection(ClientCall<?, ?> call) {
    return call instanceof ConnectWaitingCall;
  }
}
