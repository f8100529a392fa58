package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.server.CallInfo;
import dev.temporalrbac.proxy.server.CallObserver;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log: one JSON object per line for each denied call (dry-run denials included), and for
 * each allowed call too at {@link AuditLevel#ALL}. In the default format ({@link AuditFormat#JSON})
 * these fields, always all present: {@code time} (RFC
 * 3339, UTC), {@code decision} ({@link Verdict} label), {@code reason}, {@code message},
 * {@code principal}, {@code principal_type}, {@code role}, {@code identified_by} ({@code api_key},
 * {@code jwt}, {@code mtls} or empty), {@code credential_id} (the API key's id, the JWT's subject
 * or the client certificate's name; never a secret), {@code key_id}, {@code method} (full
 * name), {@code namespaces} (array), {@code required}, {@code peer}, {@code request_id},
 * {@code policy_version} (of the enforced policy). With {@link AuditFormat#CLOUD}, records
 * shaped as Temporal Cloud's audit log ({@link CloudAuditLineWriter} lists its fields and where
 * they come from). Lines are built only from the {@link Decision} and {@link CallInfo}, which
 * never hold a secret; no header is ever written. Lines are written with Jackson's streaming
 * generator ({@link AuditLineWriter}); the escaping is
 * {@link dev.temporalrbac.proxy.explain.Json}'s.
 *
 * <p>Shadow policy: a call the shadow policy decides differently from the enforced one
 * ({@link #decidedWithShadow}, {@link ShadowResult} other than {@code same}) gets its line at
 * every level but {@code off}, even an allowed call at {@code deny}; still one line per call.
 * That line ends with three more fields: {@code shadow_decision} ({@code would_allow} or
 * {@code would_deny}), {@code shadow_reason} (the shadow decision's reason label) and
 * {@code shadow_policy_version}; in the cloud format they are inside {@code raw_details}. Lines of
 * calls decided alike are written as without a shadow policy. A call refused at its headers whose
 * caller only the shadow policy authenticates ({@link #shadowUndecided}) is written as the
 * refusal always is, with {@code shadow_decision} {@code undecided} and an empty
 * {@code shadow_reason} and {@code shadow_policy_version}: the shadow policy never decided it.
 *
 * <p>Threading: {@link #decided} may be called from any transport thread and never blocks: it
 * offers the record to a bounded queue ({@link AuditQueue}, where a line written only for a
 * shadow difference gets at most about half the room) and, when there is no room, drops it and
 * counts the drop ({@link #dropped()}, and {@code temporal_rbac_audit_dropped_total{kind}}, kind
 * {@code decision} or {@code shadow}, when a registry is given).
 * One daemon thread formats the lines, reusing one generator and one buffer, and writes them to
 * the sink in batches (see {@link #drain()}), one flush per batch. {@link #close()} writes what
 * is queued, flushes and closes the sink.
 */
public final class AuditLog implements CallObserver, AutoCloseable {
  /** Queue bound used by the factory methods. */
  public static final int DEFAULT_CAPACITY = 8192;
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  private static final Entry STOP =
      new Entry(null, null, null, null, null, null, AuditQueue.Kind.DECISION);
  /** How long the writer gathers records before writing a batch. */
  private static final long BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final AuditLevel level;
  private final AuditFormat format;
  private final Writer sink;
  private final Clock clock;
  private final AuditQueue queue;
  private final Thread writer;
  private volatile boolean closed;
  private boolean writeFailureLogged;

  /**
   * An audit log writing to {@code sink}, which it owns and closes.
   *
   * @param capacity how many records may wait for the writer before new ones are dropped (a
   *     line written only for a shadow difference: while fewer than half wait)
   * @param registry where to register {@code temporal_rbac_audit_dropped_total}; null for none
   */
  public AuditLog(AuditLevel level, Writer sink, int capacity, Clock clock,
      MeterRegistry registry) {
    this(level, AuditFormat.JSON, sink, capacity, clock, registry);
  }

  /** As above, in {@code format}. */
  public AuditLog(AuditLevel level, AuditFormat format, Writer sink, int capacity, Clock clock,
      MeterRegistry registry) {
    this.queue = new AuditQueue(capacity, registry);
    this.level = level;
    this.format = format;
    this.sink = sink;
    this.clock = clock;
    if (level == AuditLevel.OFF) {
      writer = null;
    } else {
      writer = new Thread(this::drain, "audit-log-writer");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /** An audit log in {@code format} on standard output ({@link #close()} flushes, not closes). */
  public static AuditLog toStdout(AuditLevel level, AuditFormat format, MeterRegistry registry) {
    OutputStream unclosable = new FilterOutputStream(System.out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
    return new AuditLog(level, format, new BufferedWriter(
        new OutputStreamWriter(unclosable, StandardCharsets.UTF_8)), DEFAULT_CAPACITY,
        Clock.systemUTC(), registry);
  }

  /** An audit log in {@code format} appended to {@code file}, created if missing. */
  public static AuditLog toFile(Path file, AuditLevel level, AuditFormat format,
      MeterRegistry registry) throws IOException {
    Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return new AuditLog(level, format, out, DEFAULT_CAPACITY, Clock.systemUTC(), registry);
  }

  public AuditLevel level() {
    return level;
  }

  /** Records dropped so far: queue full, written after close, or lost to a write error. */
  public long dropped() {
    return queue.dropped();
  }

  @Override
  public void decided(Decision decision, CallInfo call, boolean enforced) {
    Verdict verdict = Verdict.of(decision, enforced);
    if (level.records(verdict)) {
      offer(new Entry(clock.instant(), verdict, decision, call, null, null,
          AuditQueue.Kind.DECISION));
    }
  }

  /**
   * One line for the call: with the shadow fields when the two differ (see the class comment); a
   * line the level would not write without them is a {@link AuditQueue.Kind#SHADOW} record.
   */
  @Override
  public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
      boolean enforced) {
    ShadowResult result = ShadowResult.of(decision, shadow);
    Verdict verdict = Verdict.of(decision, enforced);
    if (result == ShadowResult.SAME) {
      decided(decision, call, enforced);
    } else if (level != AuditLevel.OFF) {
      offer(new Entry(clock.instant(), verdict, decision, call, result, shadow,
          level.records(verdict) ? AuditQueue.Kind.DECISION : AuditQueue.Kind.SHADOW));
    }
  }

  /** The refusal's line as {@link #decided} writes it, with {@code shadow_decision} undecided. */
  @Override
  public void shadowUndecided(Decision decision, CallInfo call) {
    Verdict verdict = Verdict.of(decision, true);
    if (level.records(verdict)) {
      offer(new Entry(clock.instant(), verdict, decision, call, ShadowResult.UNDECIDED, null,
          AuditQueue.Kind.DECISION));
    }
  }

  private void offer(Entry entry) {
    if (closed) {
      queue.drop(entry);
    } else {
      queue.offer(entry);
    }
  }

  @Override
  public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

  @Override
  public void decisionTime(long nanos) {}

  /**
   * Writes every queued record, flushes and closes the sink. Waits for the writer (about ten
   * seconds at most for a sink that does not accept data; the sink is then left open). Records
   * arriving during or after close are counted as dropped. Idempotent; call from one thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (writer != null) {
      try {
        if (queue.offerStop(STOP, 10)) {
          writer.join(TimeUnit.SECONDS.toMillis(10));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (writer == null || !writer.isAlive()) {
      for (Entry late = queue.poll(); late != null; late = queue.poll()) {
        if (late != STOP) {
          queue.drop(late); // offered while closing, after the writer had stopped
        }
      }
      try {
        sink.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not close the audit log", e);
      }
    }
  }

  /**
   * Writes records in batches: blocks while idle, then, once a record arrives, gathers what
   * arrives during a short pause and writes and flushes it in one go. While the writer pauses
   * it is not waiting on the queue, so transport threads offering records under load do not wake
   * it one record at a time; a line reaches the sink within about {@link #BATCH_PAUSE_NANOS}.
   */
  private void drain() {
    AuditLineWriter lines = format.newWriter();
    List<Entry> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return; // nobody interrupts this thread but the JVM at exit
      }
      if (batch.get(0) != STOP) {
        LockSupport.parkNanos(BATCH_PAUSE_NANOS);
      }
      queue.drainTo(batch);
      boolean stop = false;
      for (Entry entry : batch) {
        if (entry == STOP) {
          stop = true;
        } else if (stop) {
          queue.drop(entry); // offered while closing, after the stop marker
        } else {
          write(lines, entry);
        }
      }
      batch.clear();
      flush();
      if (stop) {
        return;
      }
    }
  }

  private void write(AuditLineWriter lines, Entry entry) {
    try {
      lines.write(entry, sink);
    } catch (IOException | RuntimeException e) {
      queue.drop(entry);
      if (!writeFailureLogged) {
        writeFailureLogged = true;
        LOG.log(Level.WARNING, "cannot write the audit log; records are being dropped", e);
      }
    }
  }

  private void flush() {
    try {
      sink.flush();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not flush the audit log", e);
    }
  }

  /**
   * A decision waiting for the writer; formatted there, off the transport thread.
   *
   * @param shadowResult how the shadow policy's decision compares when the line carries the
   *     shadow fields ({@code would_allow}, {@code would_deny}, {@code undecided}); else null
   * @param shadow the shadow policy's decision when it differs from {@code decision}; null
   *     otherwise and when {@code undecided}
   * @param kind for the queue's bound and the drop counter's label
   */
  record Entry(Instant time, Verdict verdict, Decision decision, CallInfo call,
      ShadowResult shadowResult, Decision shadow, AuditQueue.Kind kind) {}
}
