package dev.temporalrbac.proxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code temporal_rbac_shadow_decisions_total{result}}: each call decided under a shadow policy
 * too, by {@link ShadowResult} label ({@code same}, {@code would_allow}, {@code would_deny},
 * {@code undecided}), and {@code error} for a shadow decision that threw (the call went on under
 * the enforced one). Nothing is registered or counted until {@link #enable()}: without a shadow
 * policy the series do not exist, rather than standing at zero and suggesting one is compared.
 *
 * <p>Threading: {@link #enable()} once, at start, before calls arrive (it is synchronized and
 * idempotent); {@link #count} and {@link #failed} from any transport thread, lock-free: they read
 * one volatile array and bump a counter.
 */
final class ShadowMetrics {
  private static final ShadowResult[] RESULTS = ShadowResult.values();

  private final MeterRegistry registry;
  /** By {@link ShadowResult} ordinal, then the error count; null until {@link #enable()}. */
  private volatile Counter[] results;

  ShadowMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers every {@code result} series at zero and counts from now on. Idempotent. */
  synchronized void enable() {
    if (results != null) {
      return;
    }
    Counter[] counters = new Counter[RESULTS.length + 1];
    for (ShadowResult result : RESULTS) {
      counters[result.ordinal()] = counter(result.label());
    }
    counters[RESULTS.length] = counter("error");
    results = counters;
  }

  /** Counts one call whose shadow decision compared as {@code result}; nothing before enabled. */
  void count(ShadowResult result) {
    Counter[] counters = results;
    if (counters != null) {
      counters[result.ordinal()].increment();
    }
  }

  /** Counts one call the shadow policy could not decide; nothing before enabled. */
  void failed() {
    Counter[] counters = results;
    if (counters != null) {
      counters[RESULTS.length].increment();
    }
  }

  private Counter counter(String result) {
    return Counter.builder("temporal.rbac.shadow.decisions")
        .description("Calls decided under the shadow policy too, by how its decision compares")
        .tag("result", result)
        .register(registry);
  }
}
