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
  private int nextProbe;
  private boolean wasReady = true;
  private volatile boolean probing;
  private volatile boolean answering = true;
  private volatile String lastFailure = "";

  UpstreamMonitor(List<ManagedChannel> channels, String target,
      ProxyConfig.UpstreamHealth settings) {
    this.channels = List.copyOf(channels);
    this.target = target;
    this.intervalNanos = settings.probeInterval().toNanos();
    this.probeTimeoutNanos = settings.keepaliveTimeout().toNanos();
    this.connectTimeoutNanos = settings.connectTimeout().toNanos();
    this.downSince = new long[channels.size()];
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
   * True when every channel is connected and the last probe was answered. Asks idle channels to
   * connect. Any thread; never blocks.
   */
  boolean ready() {
    return answering && allConnected();
  }

  private boolean allConnected() {
    boolean connected = true;
    for (ManagedChannel channel : channels) {
      connected &= channel.getState(true) == ConnectivityState.READY;
    }
    return connected;
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
    for (int i = 0; i < channels.size(); i++) {
      ManagedChannel channel = channels.get(i);
      ConnectivityState state = channel.getState(true);
      if (state == ConnectivityState.READY) {
        downSince[i] = NEVER;
        continue;
      }
      connected = false;
      if (downSince[i] == NEVER) {
        downSince[i] = now;
      } else if (now - downSince[i] >= connectTimeoutNanos) {
        // An attempt stuck in the handshake is never timed out by gRPC: start a new one.
        channel.enterIdle();
        channel.getState(true);
        downSince[i] = now;
      }
      channel.resetConnectBackoff();
    }
    if (connected && !probing) {
      probe(channels.get(Math.floorMod(nextProbe++, channels.size())));
    }
    boolean ready = connected && answering;
    if (ready != wasReady) {
      wasReady = ready;
      String why = connected ? "it does not answer (" + lastFailure + ")" : "no connection";
      LOG.info(() -> ready ? "upstream " + target + " is ready again"
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
