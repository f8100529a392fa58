package dev.temporalrbac.proxy.server;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Context;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call made while the upstream channel was not connected: if gRPC has not opened its stream on
 * a connection when the timer fires, the call ends UNAVAILABLE with {@code unreachable}.
 *
 * <p>How: the call is created under its own cancellable {@link Context}; a stream tracer tells
 * when the stream is opened on a connection (which disarms the timer); the timer cancels the
 * context with the UNAVAILABLE status. Cancelling through the context, not {@link #cancel},
 * leaves the call usable by its owner: later sends are dropped instead of throwing.
 *
 * <p>Threading: the tracer runs on a gRPC thread, the timer on {@code timer}, the rest on the
 * caller's thread; {@link #phase} settles the race between them once.
 */
final class ConnectWaitingCall<Q, R> extends SimpleForwardingClientCall<Q, R> {
  private static final int WAITING = 0;
  private static final int SETTLED = 1;
  private static final int TIMED_OUT = 2;

  private final Context.CancellableContext context;
  private final ScheduledExecutorService timer;
  private final long timeoutNanos;
  private final Status unreachable;
  private final AtomicInteger phase;
  private volatile ScheduledFuture<?> pending;

  private ConnectWaitingCall(ClientCall<Q, R> delegate, Context.CancellableContext context,
      AtomicInteger phase, ScheduledExecutorService timer, long timeoutNanos, Status unreachable) {
    super(delegate);
    this.context = context;
    this.phase = phase;
    this.timer = timer;
    this.timeoutNanos = timeoutNanos;
    this.unreachable = unreachable;
  }

  static <Q, R> ConnectWaitingCall<Q, R> create(Channel channel, MethodDescriptor<Q, R> method,
      CallOptions options, ScheduledExecutorService timer, long timeoutNanos,
      Status unreachable) {
    AtomicInteger phase = new AtomicInteger(WAITING);
    Context.CancellableContext context = Context.current().withCancellation();
    Connected connected = new Connected(phase);
    Context previous = context.attach();
    ClientCall<Q, R> delegate;
    try {
      delegate = channel.newCall(method, options.withStreamTracerFactory(connected));
    } finally {
      context.detach(previous);
    }
    ConnectWaitingCall<Q, R> call =
        new ConnectWaitingCall<>(delegate, context, phase, timer, timeoutNanos, unreachable);
    connected.call = call;
    return call;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    super.start(new SimpleForwardingClientCallListener<R>(listener) {
      @Override
      public void onClose(Status status, Metadata trailers) {
        boolean timedOut = phase.getAndSet(SETTLED) == TIMED_OUT;
        disarm();
        context.cancel(null); // detach from the parent context; the call is over
        super.onClose(timedOut ? unreachable : status, trailers);
      }
    }, headers);
    try {
      pending = timer.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return; // the proxy is stopping: its channels end every call
    }
    if (phase.get() != WAITING) {
      disarm(); // connected or closed while starting
    }
  }

  private void expire() {
    if (phase.compareAndSet(WAITING, TIMED_OUT)) {
      context.cancel(new StatusException(unreachable));
    }
  }

  private void disarm() {
    ScheduledFuture<?> future = pending;
    if (future != null) {
      future.cancel(false);
    }
  }

  /** Tells the call that its stream was opened on a connection. */
  private static final class Connected extends ClientStreamTracer.Factory {
    private final AtomicInteger phase;
    private volatile ConnectWaitingCall<?, ?> call;

    Connected(AtomicInteger phase) {
      this.phase = phase;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
        Metadata headers) {
      return new ClientStreamTracer() {
        @Override
        public void streamCreated(Attributes transportAttrs, Metadata headers) {
          if (phase.compareAndSet(WAITING, SETTLED)) {
            ConnectWaitingCall<?, ?> owner = call;
            if (owner != null) {
              owner.disarm();
            }
          }
        }
      };
    }
  }
}
