package dev.temporalrbac.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of a benchmark (from {@code -prof jfr}): where allocation goes
 * ({@code jdk.ObjectAllocationSample}, by allocated class and allocating frame, weighted) and where
 * CPU time goes ({@code jdk.ExecutionSample}, by top frame and inclusively by method).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.temporalrbac.bench.JfrSummary profile.jfr [rows] [last-seconds] [thread]</pre>
 *
 * <p>For an exact allocation account, record every allocation: run the benchmark with
 * {@code -XX:-UseTLAB} and a JFR configuration that enables {@code jdk.ObjectAllocationOutsideTLAB}
 * with stack traces, started with the JVM, and summarize only the last seconds (C2 code).
 * {@code jdk.ObjectAllocationSample} alone is too biased for per-site figures of a short loop, and
 * CPU samples taken inside intrinsic stubs (such as SHA-256) are lost, so time those separately.
 */
public final class JfrSummary {
  private JfrSummary() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    // Events of the last `tail` seconds only (for a recording started with the JVM, to leave out
    // warm-up code that C2 has not compiled yet); 0 keeps all.
    double tail = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    // Which thread to account: a JMH worker by default, else threads whose name contains this.
    String threadFilter = args.length > 3 ? args[3] : null;
    List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
    java.time.Instant end = events.stream().map(RecordedEvent::getEndTime)
        .max(java.util.Comparator.naturalOrder()).orElse(java.time.Instant.EPOCH);
    java.time.Instant from = tail <= 0 ? java.time.Instant.MIN
        : end.minusNanos((long) (tail * 1e9));
    Map<String, Long> allocBySite = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    long allocTotal = 0;
    Map<String, Long> allocCount = new HashMap<>();
    Map<String, Long> selfSamples = new HashMap<>();
    Map<String, Long> totalSamples = new HashMap<>();
    long samples = 0;
    long allSamples = 0;
    Map<String, Long> byThread = new HashMap<>();
    for (RecordedEvent event : events) {
      if (event.getStartTime().isBefore(from)) {
        continue;
      }
      String type = event.getEventType().getName();
      RecordedStackTrace stack = event.getStackTrace();
      if (type.equals("jdk.ExecutionSample")) {
        allSamples++;
        jdk.jfr.consumer.RecordedThread thread = event.getThread("sampledThread");
        String threadName = thread == null ? "?" : String.valueOf(thread.getJavaName());
        byThread.merge(threadName.replaceAll("[0-9]+", "N"), 1L, Long::sum);
      }
      if (stack == null || !accounted(event, stack, threadFilter)) {
        continue;
      }
      boolean sampled = type.equals("jdk.ObjectAllocationSample");
      if (sampled || type.equals("jdk.ObjectAllocationOutsideTLAB")) {
        long weight = event.getLong(sampled ? "weight" : "allocationSize");
        String cls = event.getClass("objectClass").getName();
        allocTotal += weight;
        allocByClass.merge(cls, weight, Long::sum);
        allocBySite.merge(cls + "  <-  " + site(stack.getFrames()), weight, Long::sum);
        allocCount.merge(cls, 1L, Long::sum);
      } else if (type.equals("jdk.ExecutionSample")) {
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        selfSamples.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          String method = name(frame);
          if (seen.add(method)) {
            totalSamples.merge(method, 1L, Long::sum);
          }
        }
      }
    }
    System.out.printf("== allocation: %.1f MiB on the benchmark thread%n", allocTotal / 1048576.0);
    // Exact per-operation figures when every allocation was recorded (-XX:-UseTLAB) and the
    // benchmark returns one Decision per operation.
    long ops = allocCount.getOrDefault("dev.temporalrbac.policy.eval.Decision", 0L);
    if (ops > 0) {
      System.out.printf("-- per operation (%d Decisions recorded): %.1f bytes%n", ops,
          (double) allocTotal / ops);
      allocBySite.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(rows)
          .forEach(e -> System.out.printf("%8.1f B  %s%n", (double) e.getValue() / ops, e.getKey()));
    }
    print(allocByClass, allocTotal, rows, "by class");
    print(allocBySite, allocTotal, rows, "by class <- allocating frames (innermost first)");
    System.out.printf("%n== CPU: %d execution samples in Java code, all threads%n", allSamples);
    print(byThread, allSamples, rows, "by thread");
    System.out.printf("%n== CPU: %d execution samples on the benchmark thread%n", samples);
    print(selfSamples, samples, rows, "self (top frame)");
    print(totalSamples, samples, rows, "total (method anywhere on the stack)");
  }

  private static boolean accounted(RecordedEvent event, RecordedStackTrace stack, String filter) {
    if (filter == null) {
      return onBenchmarkThread(stack);
    }
    String field = event.getEventType().getName().equals("jdk.ExecutionSample")
        ? "sampledThread" : "eventThread";
    if (!event.hasField(field)) {
      return false; // e.g. allocation samples of a recording made with settings=profile
    }
    jdk.jfr.consumer.RecordedThread thread = event.getThread(field);
    return thread != null && String.valueOf(thread.getJavaName()).contains(filter);
  }

  /** Skips JMH's own threads' samples: keep stacks that pass through a benchmark stub. */
  private static boolean onBenchmarkThread(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.contains("jmh_generated")) {
        return true;
      }
    }
    return false;
  }

  /** The innermost two frames, then the first two frames of the policy engine below them. */
  private static String site(List<RecordedFrame> frames) {
    StringBuilder out = new StringBuilder();
    int engineFrames = 0;
    for (int i = 0; i < frames.size() && engineFrames < 2; i++) {
      RecordedFrame frame = frames.get(i);
      String type = frame.getMethod().getType().getName();
      if (type.contains("jmh_generated")) {
        break;
      }
      boolean engine = type.startsWith("dev.temporalrbac.policy.");
      if (i < 2 || engine) {
        out.append(out.length() == 0 ? "" : " < ").append(frame(frame));
      }
      if (engine) {
        engineFrames++;
      }
    }
    return out.toString();
  }

  private static String frame(RecordedFrame frame) {
    return name(frame) + ":" + frame.getLineNumber();
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Long> counts, long total, int rows, String title) {
    System.out.println("-- " + title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(rows)
        .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
  }
}
