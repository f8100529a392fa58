package dev.temporalrbac.proxy.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream channel per event loop, each connected on its own loop: a call that arrives on a
 * loop goes upstream on the same loop, so its bytes never wait for another thread to wake up.
 * Calls made from any other thread (tests, admin) go round-robin. Thread-safe.
 */
final class LoopAffineChannel extends Channel {
  private final List<EventLoop> loops;
  private final List<ManagedChannel> channels;
  private final AtomicInteger next = new AtomicInteger();

  LoopAffineChannel(List<EventLoop> loops, List<ManagedChannel> channels) {
    if (loops.size() != channels.size() || loops.isEmpty()) {
      throw new IllegalArgumentException("one channel per event loop");
    }
    this.loops = List.copyOf(loops);
    this.channels = List.copyOf(channels);
  }

  private ManagedChannel current() {
    for (int i = 0; i < loops.size(); i++) {
      if (loops.get(i).inEventLoop()) {
        return channels.get(i);
      }
    }
    return channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return current().newCall(method, options);
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  /** True when every per-loop channel is connected; asks idle ones to connect. */
  boolean ready() {
    boolean ready = true;
    for (ManagedChannel channel : channels) {
      ready &= channel.getState(true) == ConnectivityState.READY;
    }
    return ready;
  }

  void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
    for (ManagedChannel channel : channels) {
      if (!channel.awaitTermination(timeout, unit)) {
        channel.shutdownNow();
      }
    }
  }
}
