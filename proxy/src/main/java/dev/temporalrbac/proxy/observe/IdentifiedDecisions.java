package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.IdentifiedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code temporal_rbac_identified_decisions_total{identified_by,decision}}: calls decided, by
 * how the caller was identified ({@code api_key}, {@code jwt}, {@code mtls}, {@code principal},
 * or {@code none} when no credential was read). A counter of its own, every series registered
 * up front, rather than one more label multiplying every method's series of
 * {@code temporal_rbac_decisions_total}.
 *
 * <p>Threading: {@link #count} from any thread, lock-free (an array slot, then a counter).
 */
final class IdentifiedDecisions {
  /** {@code identified_by} labels: the {@link IdentifiedBy} labels, then {@code none}. */
  private static final String[] LABELS = labels();
  private static final Verdict[] VERDICTS = Verdict.values();

  /** One per (verdict, identified_by). */
  private final Counter[] counters = new Counter[VERDICTS.length * LABELS.length];

  IdentifiedDecisions(MeterRegistry registry) {
    for (Verdict verdict : VERDICTS) {
      for (int by = 0; by < LABELS.length; by++) {
        counters[verdict.ordinal() * LABELS.length + by] =
            Counter.builder("temporal.rbac.identified.decisions")
                .description("Calls decided, by how the caller was identified")
                .tags("identified_by", LABELS[by], "decision", verdict.label())
                .register(registry);
      }
    }
  }

  /** Counts one call with {@code verdict} whose caller was identified by {@code label}. */
  void count(Verdict verdict, String label) {
    counters[verdict.ordinal() * LABELS.length + slot(label)].increment();
  }

  /**
   * The slot of a decision's {@code identified_by}: at most four comparisons of short strings,
   * instead of a map lookup per call; anything unknown (an empty label) is {@code none}.
   */
  private static int slot(String label) {
    for (int i = 0; i < LABELS.length - 1; i++) {
      if (LABELS[i].equals(label)) {
        return i;
      }
    }
    return LABELS.length - 1;
  }

  private static String[] labels() {
    IdentifiedBy[] kinds = IdentifiedBy.values();
    String[] labels = new String[kinds.length + 1];
    for (IdentifiedBy kind : kinds) {
      labels[kind.ordinal()] = kind.label();
    }
    labels[kinds.length] = "none";
    return labels;
  }
}
