package dev.temporalrbac.proxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue between the transport threads and the audit log's writer, and the count of
 * the records lost on the way ({@code temporal_rbac_audit_dropped_total{kind}}, both kinds
 * registered at once).
 *
 * <p>Two kinds of record share it. A {@link Kind#DECISION} record is what the audit level asks
 * for without a shadow policy (it may carry the shadow fields too). A {@link Kind#SHADOW} record
 * exists only because the shadow policy decides the call differently (an allowed call the shadow
 * would deny, at level {@code deny}): a shadow policy that denies much of the traffic could
 * otherwise fill the queue and push out the enforced records. So a shadow record is taken only
 * while the queue holds fewer than half its capacity (none at capacity 1): while the writer keeps
 * up this costs nothing; once it falls behind, shadow records are dropped first and at least half
 * the queue stays for decision records. The check and the offer are two steps, so racing threads
 * may put a few shadow records past the half; it is a share, not an exact count.
 *
 * <p>Threading: {@link #offer} and {@link #drop} from any thread, never blocking; the writer
 * thread takes.
 */
final class AuditQueue {
  /** What a record is, for the bound and the {@code kind} label of the drop counter. */
  enum Kind {
    /** A record the audit level asks for: an enforced decision. */
    DECISION,
    /** A line written only because the shadow policy decided differently. */
    SHADOW;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final BlockingQueue<AuditLog.Entry> queue;
  private final int shadowShare;
  private final AtomicLong dropped = new AtomicLong();
  /** By {@link Kind} ordinal; null without a registry. */
  private final Counter[] droppedCounters;

  /**
   * @param registry where to register {@code temporal_rbac_audit_dropped_total}; null for none
   */
  AuditQueue(int capacity, MeterRegistry registry) {
    if (capacity < 1) {
      throw new IllegalArgumentException("audit queue capacity must be positive");
    }
    queue = new ArrayBlockingQueue<>(capacity);
    shadowShare = capacity / 2;
    if (registry == null) {
      droppedCounters = null;
    } else {
      droppedCounters = new Counter[Kind.values().length];
      for (Kind kind : Kind.values()) {
        droppedCounters[kind.ordinal()] = Counter.builder("temporal.rbac.audit.dropped")
            .description("Audit records dropped because the writer fell behind or failed")
            .tag("kind", kind.label())
            .register(registry);
      }
    }
  }

  /** Queues {@code entry} if there is room for its kind (see the class comment), else drops it. */
  void offer(AuditLog.Entry entry) {
    if (entry.kind() == Kind.SHADOW && queue.size() >= shadowShare || !queue.offer(entry)) {
      drop(entry);
    }
  }

  /** Counts {@code entry} as lost (no room, written after close, or a write failure). */
  void drop(AuditLog.Entry entry) {
    dropped.incrementAndGet();
    if (droppedCounters != null) {
      droppedCounters[entry.kind().ordinal()].increment();
    }
  }

  /** Records dropped so far, of both kinds. */
  long dropped() {
    return dropped.get();
  }

  /** Queues the writer's stop marker, waiting up to {@code seconds} for room. */
  boolean offerStop(AuditLog.Entry stop, long seconds) throws InterruptedException {
    return queue.offer(stop, seconds, TimeUnit.SECONDS);
  }

  /** Waits for the next record. Writer thread. */
  AuditLog.Entry take() throws InterruptedException {
    return queue.take();
  }

  /** Moves every queued record to {@code batch}. */
  void drainTo(Collection<AuditLog.Entry> batch) {
    queue.drainTo(batch);
  }

  /** The next queued record, or null. */
  AuditLog.Entry poll() {
    return queue.poll();
  }
}
