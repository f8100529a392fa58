package dev.temporalrbac.proxy.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream channel per event loop, each connected on its own loop: a call that arrives on a
 * loop goes upstream on the same loop, so its bytes never wait for another thread to wake up.
 * Calls made from any other thread (tests, admin) go round-robin. With no loops, one channel
 * serves every thread (the in-process upstream of "try it now" mode).
 *
 * <p>Every call is bounded by {@link ConnectTimeout}; its timer runs on the call's own loop, so
 * the timeout and the call's other events share a thread. Thread-safe.
 */
final class LoopAffineChannel extends Channel {
  private final List<EventLoop> loops;
  private final List<ManagedChannel> channels;
  private final ScheduledExecutorService offLoopTimer;
  private final ConnectTimeout connectTimeout;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param loops the event loops, or none for a single channel used from any thread
   * @param channels one per loop (the same order), or exactly one when {@code loops} is empty
   * @param offLoopTimer runs the connect timeout of calls made off the loops
   */
  LoopAffineChannel(List<EventLoop> loops, List<ManagedChannel> channels,
      ScheduledExecutorService offLoopTimer, ConnectTimeout connectTimeout) {
    if (loops.isEmpty() ? channels.size() != 1 : loops.size() != channels.size()) {
      throw new IllegalArgumentException("one channel per event loop, or one channel alone");
    }
    this.loops = List.copyOf(loops);
    this.channels = List.copyOf(channels);
    this.offLoopTimer = offLoopTimer;
    this.connectTimeout = connectTimeout;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    for (int i = 0; i < loops.size(); i++) {
      EventLoop loop = loops.get(i);
      if (loop.inEventLoop()) {
        return connectTimeout.newCall(channels.get(i), loop, method, options);
      }
    }
    ManagedChannel channel = channels.size() == 1 ? channels.get(0)
        : channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    return connectTimeout.newCall(channel, offLoopTimer, method, options);
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  /** The channels, in loop order. */
  List<ManagedChannel> channels() {
    return channels;
  }

  /**
   * Closes every channel at once: called after the server has ended every proxied call, so only
   * probes and connection attempts remain (a graceful close of an attempt to a black-holed
   * upstream would wait for ever). Waits up to {@code timeout} for each to terminate.
   */
  void shutdownNow(long timeout, TimeUnit unit) throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(timeout, unit);
    }
  }
}
