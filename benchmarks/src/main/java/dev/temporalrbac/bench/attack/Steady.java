package dev.temporalrbac.bench.attack;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of legitimate calls beside an attack, on its own connection: an allowed
 * {@code StartWorkflowExecution} at a fixed rate, 5 s deadline each. Reports how many passed and
 * their latency, so an attack that starves everyone shows even when it is itself refused.
 */
final class Steady {
  private final ManagedChannel channel;
  private final byte[] body;
  private final Metadata headers;
  private final Calls.Tally tally = new Calls.Tally();
  private final Latencies okLatencies = new Latencies(200_000);
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong warmOk = new AtomicLong();
  private volatile boolean recording;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "steady");
    t.setDaemon(true);
    return t;
  });

  Steady(String target, String secret, String namespace, int perSecond) {
    channel = Calls.channel(target);
    body = Samples.start(namespace, Samples.STEADY_ID);
    headers = Calls.headers("Bearer " + secret, namespace);
    long periodMicros = 1_000_000L / Math.max(1, perSecond);
    timer.scheduleAtFixedRate(this::fire, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void fire() {
    if (inFlight.get() > 1_000) {
      tally.add("SKIPPED_OVER_1000_IN_FLIGHT");
      return;
    }
    inFlight.incrementAndGet();
    boolean counted = recording;
    Calls.call(channel, Samples.START, body, headers, 5_000).thenAccept(r -> {
      inFlight.decrementAndGet();
      if (!counted) {
        warmOk.addAndGet(r.code() == Status.Code.OK ? 1 : 0);
        return;
      }
      tally.add(r.code());
      if (r.code() == Status.Code.OK) {
        okLatencies.record(r.nanos());
      }
    });
  }

  /**
   * Waits (at most 20 s) until 20 warm-up calls passed, so that the client's own start (class
   * loading, JIT, connection) is not counted; calls sent from then on are counted.
   */
  Steady warm() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (warmOk.get() < 20 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    recording = true;
    return this;
  }

  /** Stops, waits (at most 6 s) for calls in flight, and adds {@code steady_*} to {@code into}. */
  Map<String, Object> stop(Map<String, Object> into) throws InterruptedException {
    timer.shutdownNow();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    while (inFlight.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    channel.shutdownNow();
    into.put("steady_sent", tally.total());
    into.put("steady_ok", tally.get("OK"));
    into.put("steady_statuses", tally.snapshot());
    into.putAll(okLatencies.summary("steady"));
    return into;
  }
}
