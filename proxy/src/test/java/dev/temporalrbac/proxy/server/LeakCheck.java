package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.buffer.AbstractByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when (grpc-netty-shaded's) Netty reports a leaked buffer during it. Netty's leak
 * detector only reports when a later allocation finds a collected-but-unreleased buffer; so this
 * listens on the buffers' detector and, after each test, collects garbage and allocates tracked
 * buffers until pending reports surface. Requires the paranoid level (every buffer tracked), set
 * by the surefire {@code argLine} in {@code proxy/pom.xml}; it fails rather than passes quietly
 * when that level is missing.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

  static {
    // the detector every ByteBuf allocator tracks through; Netty exposes it to its own package
    try {
      Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
      field.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
      detector.setLeakListener((type, records) -> REPORTS.add("LEAK of " + type + ":\n" + records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    requireDetection();
    sweep(); // reports of earlier tests are not this test's
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> leaks = sweep();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " leaked Netty buffer(s) reported:\n"
          + String.join("\n---\n", leaks));
    }
  }

  /** Fails unless every buffer is tracked. */
  static void requireDetection() {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      throw new AssertionError("Netty leak detection is " + ResourceLeakDetector.getLevel()
          + ", not PARANOID: run with -Dio.grpc.netty.shaded.io.netty.leakDetection.level=paranoid");
    }
  }
  /**
   * Makes pending leak reports surface and returns those seen since the last sweep: a few rounds
   * of garbage collection, a pause for the reference handler, and tracked allocations (the
   * detector reports when it tracks a new buffer).
   */
  static List<String> sweep() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      for (int i = 0; i < 32; i++) {
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        probe.release();
        ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
        heap.release();
      }
    }
    List<String> seen = new ArrayList<>();
    for (String report = REPORTS.poll(); report != null; report = REPORTS.poll()) {
      seen.add(report);
    }
    return seen;
  }
}
