package dev.temporalrbac.bench.attack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Durations recorded from any thread (bounded: past {@code capacity} the rest are dropped). */
final class Latencies {
  private final long[] nanos;
  private int count;

  Latencies(int capacity) {
    nanos = new long[capacity];
  }

  synchronized void record(long durationNanos) {
    if (count < nanos.length) {
      nanos[count++] = durationNanos;
    }
  }

  /** {@code prefix_p50_ms}, {@code _p99_ms}, {@code _max_ms} (null when nothing was recorded). */
  synchronized Map<String, Object> summary(String prefix) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(prefix + "_p50_ms", ms(sorted, 0.50));
    out.put(prefix + "_p99_ms", ms(sorted, 0.99));
    out.put(prefix + "_max_ms", ms(sorted, 1.0));
    return out;
  }

  private static Double ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, i)] / 10_000.0) / 100.0;
  }
}
