package dev.temporalrbac.bench.attack;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An upstream that misbehaves, and what callers of the proxy see.
 *
 * <ul>
 *   <li>{@code blackhole}: the proxy's upstream accepts TCP and never answers ({@code hole}
 *       mode); {@code --count} calls without a deadline; target: each ends UNAVAILABLE within
 *       {@code --connect-timeout-s} (the proxy's {@code upstream.connect_timeout})
 *   <li>{@code frozen}: SIGSTOP the upstream process {@code --upstream-pid}; target:
 *       {@code /readyz} 503 within {@code --ready-within-s}, calls end UNAVAILABLE (not by their
 *       own deadline); the process is always continued (SIGCONT) afterwards
 *   <li>{@code outage}: this tool runs the upstream on {@code --upstream-port}, stops it for each
 *       of {@code --outages} seconds, restarts it and measures how long until a call passes
 *       again; target: under 2 s
 * </ul>
 */
final class UpstreamAttacks {
  private UpstreamAttacks() {}

  static Map<String, Object> blackhole(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 20);
    int giveUp = o.integer("give-up-seconds", 30);
    double limit = o.number("connect-timeout-s", 5) + 1;
    ManagedChannel channel = Calls.channel(o.target());
    try {
      Metadata headers = Calls.headers("Bearer " + o.secret(), o.allowed());
      List<CompletableFuture<Calls.Result>> calls = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        calls.add(Calls.call(channel, Samples.START, Samples.start(o.allowed(), "bh-" + i),
            headers, 0));
      }
      Calls.Tally tally = new Calls.Tally();
      Latencies ended = new Latencies(count);
      double slowest = 0;
      for (CompletableFuture<Calls.Result> call : calls) {
        try {
          Calls.Result r = call.get(Math.max(0, start + TimeUnit.SECONDS.toNanos(giveUp)
              - System.nanoTime()), TimeUnit.NANOSECONDS);
          tally.add(r.code());
          ended.record(r.nanos());
          slowest = Math.max(slowest, r.nanos() / 1e9);
        } catch (TimeoutException e) {
          tally.add("still open after " + giveUp + " s");
          slowest = Double.POSITIVE_INFINITY;
        }
      }
      out.put("volume", count);
      out.put("statuses", tally.snapshot());
      out.putAll(ended.summary("end"));
      out.put("pass", tally.get("UNAVAILABLE") == count && slowest <= limit);
      return out;
    } finally {
      channel.shutdownNow();
    }
  }

  static Map<String, Object> frozen(Options o, Map<String, Object> out) throws Exception {
    String pid = o.required("upstream-pid");
    String admin = o.required("admin");
    int count = o.integer("count", 5);
    int callDeadline = o.integer("call-deadline-s", 40);
    int maxSeconds = o.integer("max-seconds", 30);
    double readyWithin = o.number("ready-within-s", 5);
    ManagedChannel channel = Calls.channel(o.target());
    Metadata headers = Calls.headers("Bearer " + o.secret(), o.allowed());
    out.put("readyz_before", Metrics.readyz(admin));
    signal("STOP", pid);
    try {
      long start = System.nanoTime();
      List<CompletableFuture<Calls.Result>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        calls.add(Calls.call(channel, Samples.START, Samples.start(o.allowed(), "frozen-" + i),
            headers, callDeadline * 1000L));
      }
      Double notReady = null;
      long until = start + TimeUnit.SECONDS.toNanos(maxSeconds);
      while (System.nanoTime() < until) {
        if (Metrics.readyz(admin) != 200) {
          notReady = (System.nanoTime() - start) / 1e9;
          break;
        }
        Thread.sleep(100);
      }
      Calls.Tally tally = new Calls.Tally();
      Latencies ended = new Latencies(count);
      for (CompletableFuture<Calls.Result> call : calls) {
        Calls.Result r = call.get(callDeadline + 10, TimeUnit.SECONDS);
        tally.add(r.code());
        ended.record(r.nanos());
      }
      out.put("volume", count);
      out.put("not_ready_after_s", notReady == null ? null : Math.round(notReady * 10) / 10.0);
      out.put("statuses", tally.snapshot());
      out.putAll(ended.summary("end"));
      out.put("pass", notReady != null && notReady <= readyWithin
          && tally.get("UNAVAILABLE") == count);
    } finally {
      signal("CONT", pid);
    }
    long resumed = System.nanoTime();
    Double passAgain = firstPass(channel, headers, o, 30);
    out.put("calls_pass_again_after_cont_s", passAgain);
    out.put("readyz_after", Metrics.readyz(admin));
    channel.shutdownNow();
    out.put("resume_measured_s", Math.round((System.nanoTime() - resumed) / 1e8) / 10.0);
    return out;
  }

  static Map<String, Object> outage(Options o, Map<String, Object> out) throws Exception {
    int port = o.integer("upstream-port", 0);
    Set<String> allowed = Set.of(o.allowed());
    ManagedChannel channel = Calls.channel(o.target());
    Metadata headers = Calls.headers("Bearer " + o.secret(), o.allowed());
    RecordingUpstream upstream = new RecordingUpstream(port, allowed);
    try {
      out.put("first_pass_s", firstPass(channel, headers, o, 60));
      List<Map<String, Object>> rounds = new ArrayList<>();
      boolean pass = true;
      for (String spec : o.get("outages", "10,45").split(",")) {
        int seconds = Integer.parseInt(spec.trim());
        upstream.close();
        Calls.Tally during = new Calls.Tally();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
          Calls.Result r = Calls.call(channel, Samples.START, Samples.start(o.allowed(), "out"),
              headers, 2_000).get(5, TimeUnit.SECONDS);
          during.add(r.code());
          Thread.sleep(Math.max(0, 500 - r.nanos() / 1_000_000));
        }
        upstream = new RecordingUpstream(port, allowed);
        Double recovery = firstPass(channel, headers, o, 60);
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("outage_s", seconds);
        round.put("statuses_during", during.snapshot());
        round.put("recovery_s", recovery);
        rounds.add(round);
        pass &= recovery != null && recovery < o.number("recover-within-s", 2);
      }
      out.put("volume", rounds.size() + " outages");
      out.put("outages", rounds);
      out.put("pass", pass);
      return out;
    } finally {
      upstream.close();
      channel.shutdownNow();
    }
  }

  /** Seconds until a call passes (one every 100 ms, 1 s deadline each); null after a cap. */
  static Double firstPass(ManagedChannel channel, Metadata headers, Options o,
      int capSeconds) throws Exception {
    long start = System.nanoTime();
    long until = start + TimeUnit.SECONDS.toNanos(capSeconds);
    while (System.nanoTime() < until) {
      Calls.Result r = Calls.call(channel, Samples.START, Samples.start(o.allowed(), Samples.PROBE_ID),
          headers, 1_000).get(5, TimeUnit.SECONDS);
      if (r.code() == Status.Code.OK) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
      }
      Thread.sleep(Math.max(0, 100 - r.nanos() / 1_000_000));
    }
    return null;
  }

  private static void signal(String name, String pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, pid).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
  }
}
