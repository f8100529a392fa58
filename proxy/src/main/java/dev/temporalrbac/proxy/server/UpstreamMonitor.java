package dev.temporalrbac.proxy.server;

import dev.temporalrbac.proxy.config.ProxyConfig;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the upstream channels so that readiness is true only while the upstream answers, and so
 * that calls pass again soon after an outage of any length.
 *
 * <p>Every {@code upstream.probe_interval}:
 * <ul>
 *   <li>when every channel is connected, one of them (in turn) sends a
 *       {@code grpc.health.v1.Health/Check} with a deadline of {@code upstream.keepalive_timeout};
 *       any answer, even UNIMPLEMENTED or UNAUTHENTICATED, proves the upstream alive. No answer
 *       (a frozen upstream keeps its TCP connections up) or UNAVAILABLE, or NOT_SERVING for the
 *       Temporal workflow service, makes it not ready;</li>
 *   <li>a channel that is not connected has its reconnect backoff reset, so gRPC's exponential
 *       backoff (up to two minutes) never delays recovery by more than one interval;</li>
 *   <li>a channel not connected for {@code upstream.connect_timeout} is sent idle and asked to
 *       connect again: this ends a connection attempt stuck in the HTTP/2 handshake (a black hole,
 *       or an upstream frozen while it accepted), which gRPC itself never times out.</li>
 * </ul>
 *
 * <p>Readiness is what the last tick saw, so asking costs nothing and changes nothing. A channel
 * that has been connected and is reconnecting (the upstream closed the connection with GOAWAY,
 * as a frontend does at its maximum connection age) still counts as connected for two intervals,
 * so readiness does not flap; a failed connection (TRANSIENT_FAILURE) counts at once.
 *
 * <p>Threading: ticks run on one daemon thread of its own; probe answers arrive on gRPC transport
 * threads and only write the volatile fields. {@link #ready()} may be called from any thread.
 */
final class UpstreamMonitor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(UpstreamMonitor.class.getName());
  /** The probe's service: Temporal's frontend reports it NOT_SERVING while it drains. */
  private static final HealthCheckRequest PROBE = HealthCheckRequest.newBuilder()
      .setService("temporal.api.workflowservice.v1.WorkflowService").build();
  private static final long NEVER = Long.MIN_VALUE;

  private final List<ManagedChannel> channels;
  private final String target;
  private final long intervalNanos;
  private final long probeTimeoutNanos;
  private final long connectTimeoutNanos;
  private final ScheduledExecutorService thread;
  /** Per channel, since when it has not been READY (monitor thread only). */
  private final long[] downSince;
  /** Per channel, when a stuck attempt was last abandoned (monitor thread only). */
  private final long[] kickedAt;
  /** Per channel, whether it has ever been READY (monitor thread only). */
  private final boolean[] everReady;
  private final long graceNanos;
  /** Every channel connected (or briefly reconnecting), as the last tick saw it. */
  private volatile boolean connectedNow;
  private int nextProbe;
  private boolean wasReady;
  private volatile boolean probing;
  /** The last probe was answered; false until one is, and again after every outage. */
  private volatile boolean answering;
  private volatile String lastFailure = "";

  UpstreamMonitor(List<ManagedChannel> channels, String target,
      ProxyConfig.UpstreamHealth settings) {
    this.channels = List.copyOf(channels);
    this.target = target;
    this.intervalNanos = settings.probeInterval().toNanos();
    this.probeTimeoutNanos = settings.keepaliveTimeout().toNanos();
    this.connectTimeoutNanos = settings.connectTimeout().toNanos();
    this.downSince = new long[channels.size()];
    this.everReady = new boolean[channels.size()];
    this.kickedAt = new long[channels.size()];
    Arrays.fill(kickedAt, NEVER);
    this.graceNanos = 2 * intervalNanos;
    Arrays.fill(downSince, NEVER);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "upstream-monitor");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts ticking; the first tick asks every channel to connect at once. */
  void start() {
    thread.scheduleWithFixedDelay(this::tickSafely, 0, intervalNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * True when, at the last tick, every channel was connected (or briefly reconnecting) and the
   * last probe was answered. Any thread; never blocks, changes nothing.
   */
  boolean ready() {
    return answering && connectedNow;
  }

  private void tickSafely() {
    try {
      tick(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "upstream monitor tick failed", e);
    }
  }

  private void tick(long now) {
    boolean connected = true;
    boolean countable = true;
    for (int i = 0; i < channels.size(); i++) {
      ManagedChannel channel = channels.get(i);
      ConnectivityState state = channel.getState(true);
      if (state == ConnectivityState.READY) {
        downSince[i] = NEVER;
        everReady[i] = true;
        continue;
      }
      connected = false;
      if (downSince[i] == NEVER) {
        downSince[i] = now;
      }
      boolean reconnecting = everReady[i] && state != ConnectivityState.TRANSIENT_FAILURE
          && now - downSince[i] < graceNanos;
      countable &= reconnecting;
      if (now - Math.max(downSince[i], kickedAt[i]) >= connectTimeoutNanos) {
        // An attempt stuck in the handshake is never timed out by gRPC: start a new one.
        channel.enterIdle();
        channel.getState(true);
        kickedAt[i] = now;
      }
      channel.resetConnectBackoff();
    }
    connectedNow = countable;
    if (!countable) {
      answering = false; // a new connection must answer a probe before it counts as ready
    }
    if (connected && !probing) {
      probe(channels.get(Math.floorMod(nextProbe++, channels.size())));
    }
    boolean ready = countable && answering;
    if (ready != wasReady) {
      wasReady = ready;
      String why = connected ? "it does not answer (" + lastFailure + ")" : "no connection";
      LOG.info(() -> ready ? "upstream " + target + " is ready"
          : "upstream " + target + " is not ready: " + why);
    }
  }

  private void probe(ManagedChannel channel) {
    probing = true;
    ClientCall<HealthCheckRequest, HealthCheckResponse> call = channel.newCall(
        HealthGrpc.getCheckMethod(), CallOptions.DEFAULT
            .withDeadlineAfter(probeTimeoutNanos, TimeUnit.NANOSECONDS)
            .withExecutor(Runnable::run));
    call.start(new ClientCall.Listener<>() {
      private boolean notServing;

      @Override
      public void onMessage(HealthCheckResponse response) {
        notServing = response.getStatus() == ServingStatus.NOT_SERVING;
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        boolean alive = !notServing && status.getCode() != Status.Code.UNAVAILABLE
            && status.getCode() != Status.Code.DEADLINE_EXCEEDED
            && status.getCode() != Status.Code.CANCELLED;
        if (!alive) {
          lastFailure = notServing ? "health check: NOT_SERVING" : "health check: " + status;
        }
        answering = alive;
        probing = false;
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(PROBE);
    call.halfClose();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
