package dev.temporalrbac.bench.attack;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Attacks on the decision itself. A wrong allow is a forwarded request in which protobuf-java
 * (the recording upstream) reads a namespace the caller may not use; the target is 0.
 *
 * <ul>
 *   <li>{@code fuzz}: the two switch-back bodies of issue 9, then {@code --count} bodies from
 *       {@link BodyFuzzer}, {@code --concurrency} in flight, as a caller with write on
 *       {@code --allowed} only
 *   <li>{@code bare-auth}: {@code authorization: <secret>} without {@code Bearer}; target:
 *       every call UNAUTHENTICATED, nothing forwarded
 * </ul>
 */
final class BypassAttacks {
  private BypassAttacks() {}

  static Map<String, Object> fuzz(Options o, Map<String, Object> out) throws Exception {
    String stats = o.required("stats");
    int count = o.integer("count", 160_000);
    int concurrency = o.integer("concurrency", 64);
    ManagedChannel channel = Calls.channel(o.target());
    Metadata headers = Calls.headers("Bearer " + o.secret(), o.allowed());
    try {
      for (var c : Map.of("switch_back_multi", new Object[] {Samples.EXECUTE_MULTI,
          Samples.SWITCH_BACK_MULTI}, "switch_back_task", new Object[] {Samples.RESPOND_TASK,
          Samples.SWITCH_BACK_TASK}).entrySet()) {
        UpstreamStats before = UpstreamStats.fetch(stats);
        Calls.Result r = Calls.call(channel, (String) c.getValue()[0], (byte[]) c.getValue()[1],
            headers, 10_000).get(15, TimeUnit.SECONDS);
        UpstreamStats after = UpstreamStats.fetch(stats);
        out.put(c.getKey() + "_status", r.code().name());
        out.put(c.getKey() + "_forwarded", after.since(before, "received"));
        out.put(c.getKey() + "_wrong_allows", after.since(before, "wrong_allows"));
      }
      UpstreamStats before = UpstreamStats.fetch(stats);
      BodyFuzzer fuzzer = new BodyFuzzer(o.integer("seed", 1), o.allowed(), o.foreign());
      Calls.Tally tally = new Calls.Tally();
      Semaphore slots = new Semaphore(concurrency);
      long start = System.nanoTime();
      long until = start + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 600));
      int sent = 0;
      for (; sent < count && System.nanoTime() < until; sent++) {
        BodyFuzzer.Body body = fuzzer.next();
        slots.acquire();
        Calls.call(channel, body.method(), body.bytes(), headers, 10_000).thenAccept(r -> {
          tally.add(r.code());
          slots.release();
        });
      }
      slots.tryAcquire(concurrency, 30, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      UpstreamStats after = UpstreamStats.fetch(stats);
      out.put("volume", sent);
      out.put("methods_fuzzed", fuzzer.methodCount());
      out.put("seconds", Math.round(seconds * 10) / 10.0);
      out.put("statuses", tally.snapshot());
      out.put("forwarded", after.since(before, "received"));
      out.put("forwarded_unparseable", after.since(before, "unparseable"));
      out.put("forwarded_without_namespace", after.since(before, "no_namespace"));
      long wrong = after.count("wrong_allows") - before.count("wrong_allows")
          + (long) out.get("switch_back_multi_wrong_allows")
          + (long) out.get("switch_back_task_wrong_allows");
      out.put("wrong_allows", wrong);
      out.put("last_wrong_allow", after.text("last_wrong"));
      boolean switchBacksDenied = !"OK".equals(out.get("switch_back_multi_status"))
          && !"OK".equals(out.get("switch_back_task_status"))
          && (long) out.get("switch_back_multi_forwarded") == 0
          && (long) out.get("switch_back_task_forwarded") == 0;
      out.put("pass", wrong == 0 && switchBacksDenied);
      return out;
    } finally {
      channel.shutdownNow();
    }
  }

  static Map<String, Object> bareAuth(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 200);
    String stats = o.get("stats", null);
    ManagedChannel channel = Calls.channel(o.target());
    try {
      UpstreamStats before = UpstreamStats.fetch(stats);
      Calls.Tally tally = new Calls.Tally();
      byte[] body = Samples.start(o.allowed(), "bare-auth");
      Metadata headers = Calls.headers(o.secret(), o.allowed());
      for (int i = 0; i < count; i++) {
        tally.add(Calls.call(channel, Samples.START, body, headers, 5_000)
            .get(10, TimeUnit.SECONDS).code());
      }
      UpstreamStats after = UpstreamStats.fetch(stats);
      out.put("volume", count);
      out.put("statuses", tally.snapshot());
      out.put("forwarded", after.since(before, "received"));
      out.put("accepted", tally.get("OK"));
      out.put("wrong_allows", after.since(before, "wrong_allows"));
      out.put("pass", tally.get(Status.Code.UNAUTHENTICATED.name()) == count);
      return out;
    } finally {
      channel.shutdownNow();
    }
  }
}
