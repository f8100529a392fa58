package dev.temporalrbac.bench.attack;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * Attacks below gRPC, written frame by frame with {@link RawH2}. Outcomes are
 * {@code grpc-status:N}, {@code rst:CODE}, {@code goaway}, {@code connection closed} or
 * {@code open} (still open when the attack stopped waiting: a hang).
 *
 * <ul>
 *   <li>{@code two-messages}: {@code --count} unary calls on one connection, each sending two
 *       request messages; target: every call ends at once, none OK, and the upstream holds none
 *       of them (the proxy cancelled what it forwarded)
 *   <li>{@code oversize}: {@code --count} requests of {@code --size-mib} MiB at once, one per
 *       connection; target: RESOURCE_EXHAUSTED
 *   <li>{@code gzip-bomb}: {@code --count} gzip messages inflating to {@code --inflate-mib}
 *       MiB; target: RESOURCE_EXHAUSTED
 *   <li>{@code rapid-reset}: up to {@code --count} HEADERS + RST_STREAM pairs on one
 *       connection; target: GOAWAY after about {@code --max-resets} of them (at most twice)
 * </ul>
 */
final class WireAttacks {
  private WireAttacks() {}

  private static RawH2 connect(Options o) throws Exception {
    String target = o.target();
    int colon = target.lastIndexOf(':');
    return RawH2.connect(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)),
        Duration.ofSeconds(5));
  }

  private static Http2Headers headers(RawH2 h2, Options o, String... extra) {
    List<String> all = new ArrayList<>(List.of("authorization", "Bearer " + o.secret(),
        "temporal-namespace", o.allowed()));
    all.addAll(List.of(extra));
    return h2.grpcHeaders(Samples.START, all.toArray(String[]::new));
  }

  /** Waits for every outcome until {@code deadlineNanos}, tallying; unfinished ones are "open". */
  private static Calls.Tally await(List<CompletableFuture<String>> outcomes, long deadlineNanos)
      throws InterruptedException {
    Calls.Tally tally = new Calls.Tally();
    for (CompletableFuture<String> o : outcomes) {
      try {
        tally.add(o.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        tally.add("open");
      } catch (java.util.concurrent.ExecutionException e) {
        tally.add("error");
      }
    }
    return tally;
  }

  static Map<String, Object> twoMessages(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 5_000);
    String stats = o.get("stats", null);
    byte[] one = Samples.start(o.allowed(), "hold-two-messages");
    ByteBuf framed = RawH2.frame(one, false);
    ByteBuf both = Unpooled.wrappedBuffer(framed.retainedDuplicate(), framed.retainedDuplicate());
    UpstreamStats before = UpstreamStats.fetch(stats);
    Latencies ended = new Latencies(count);
    try (RawH2 h2 = connect(o)) {
      Http2Headers headers = headers(h2, o);
      List<CompletableFuture<String>> outcomes = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < count && h2.active(); i++) {
        int id = h2.newStream();
        long sentAt = System.nanoTime();
        h2.outcome(id).thenRun(() -> ended.record(System.nanoTime() - sentAt));
        outcomes.add(h2.outcome(id));
        CompletableFuture<Void> written = h2.send(id, headers, both.retainedDuplicate(), true);
        if (i % 500 == 499) {
          written.get(10, TimeUnit.SECONDS); // pace the writes
        }
      }
      Calls.Tally tally = await(outcomes,
          start + TimeUnit.SECONDS.toNanos(o.integer("wait-seconds", 5)));
      Thread.sleep(1_000); // cancellations travel upstream
      UpstreamStats after = UpstreamStats.fetch(stats);
      out.put("volume", outcomes.size());
      out.put("statuses", tally.snapshot());
      out.putAll(ended.summary("end"));
      out.put("forwarded", after.since(before, "received"));
      out.put("upstream_still_held", after.count("held_now"));
      out.put("pass", tally.get("open") == 0 && tally.get("grpc-status:0") == 0
          && after.count("held_now") == 0);
    } finally {
      both.release();
      framed.release();
    }
    return out;
  }

  static Map<String, Object> oversize(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 8);
    int size = o.integer("size-mib", 120) * 1024 * 1024;
    byte[] body = Samples.startOfSize(o.allowed(), "oversize", size);
    ByteBuf framed = RawH2.frame(body, false);
    return parallel(o, out, count, framed, "oversize", size);
  }

  static Map<String, Object> gzipBomb(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 48);
    long inflated = o.integer("inflate-mib", 1024) * 1024L * 1024;
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(2 << 20);
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 1 << 16)) {
      byte[] prefix = Samples.startOfSizePrefix(o.allowed(), "gzip-bomb", inflated);
      gzip.write(prefix);
      byte[] zeros = new byte[1 << 20];
      for (long left = inflated - prefix.length; left > 0; left -= zeros.length) {
        gzip.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
    out.put("compressed_bytes", compressed.size());
    out.put("inflated_bytes", inflated);
    ByteBuf framed = RawH2.frame(compressed.toByteArray(), true);
    return parallel(o, out, count, framed, "gzip", (int) Math.min(inflated, Integer.MAX_VALUE));
  }

  /** {@code count} calls at once sending {@code framed}, spread over up to 8 connections. */
  private static Map<String, Object> parallel(Options o, Map<String, Object> out, int count,
      ByteBuf framed, String kind, long declared) throws Exception {
    int connections = Math.min(count, o.integer("connections", 8));
    List<RawH2> conns = new ArrayList<>();
    Latencies ended = new Latencies(count);
    try {
      for (int c = 0; c < connections; c++) {
        conns.add(connect(o));
      }
      List<CompletableFuture<String>> outcomes = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        RawH2 h2 = conns.get(i % connections);
        Http2Headers headers = kind.equals("gzip")
            ? headers(h2, o, "grpc-encoding", "gzip") : headers(h2, o);
        int id = h2.newStream();
        h2.outcome(id).thenRun(() -> ended.record(System.nanoTime() - start));
        outcomes.add(h2.outcome(id));
        h2.send(id, headers, framed.retainedDuplicate(), true);
      }
      Calls.Tally tally = await(outcomes,
          start + TimeUnit.SECONDS.toNanos(o.integer("wait-seconds", 60)));
      out.put("volume", count);
      out.put("declared_bytes_each", declared);
      out.put("statuses", tally.snapshot());
      out.putAll(ended.summary("end"));
      out.put("pass", tally.get("grpc-status:8") == count);
      return out;
    } finally {
      conns.forEach(RawH2::close);
      framed.release();
    }
  }

  static Map<String, Object> rapidReset(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 100_000);
    int maxResets = o.integer("max-resets", 500);
    int batch = 100;
    try (RawH2 h2 = connect(o)) {
      Http2Headers headers = headers(h2, o);
      long start = System.nanoTime();
      long until = start + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 120));
      int sent = 0;
      while (sent < count && h2.active() && !h2.goAway.isDone() && System.nanoTime() < until) {
        sent += h2.headersThenReset(headers, Math.min(batch, count - sent))
            .get(10, TimeUnit.SECONDS);
        while (!h2.writable() && h2.active() && System.nanoTime() < until) {
          Thread.sleep(1);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      try {
        h2.goAway.get(2, TimeUnit.SECONDS);
      } catch (TimeoutException none) {
        // reported below as no GOAWAY
      }
      boolean goAway = h2.goAway.isDone();
      // A graceful GOAWAY may name the largest stream id first: never count past what was sent.
      int accepted = goAway ? (int) Math.min((h2.goAwayLastStream + 1L) / 2, sent) : sent;
      out.put("volume", sent);
      out.put("seconds", Math.round(seconds * 10) / 10.0);
      out.put("goaway", goAway);
      out.put("goaway_code", goAway ? h2.goAway.getNow(-1L) : null);
      out.put("streams_before_goaway", goAway ? accepted : null);
      out.put("connection_closed", h2.closed.isDone());
      // The proxy sends GOAWAY and closes; a client still writing may get the TCP reset before it
      // reads the GOAWAY, so a connection the proxy closed counts as ended too. Loose on purpose:
      // how many frames a server reads before it acts on the count varies.
      boolean ended = goAway || h2.closed.isDone();
      out.put("pass", ended && accepted <= 2 * maxResets);
      return out;
    }
  }
}
