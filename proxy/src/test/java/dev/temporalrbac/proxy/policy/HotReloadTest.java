package dev.temporalrbac.proxy.policy;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.server.ProxyFixture;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PolicyWatcher + PolicyHolder behind a proxy: reloads apply to new calls and never break any. */
@Timeout(30)
class HotReloadTest {
  private static final String BASE_GRANTS = "namespaces: {orders: write}";
  private static final Duration SETTLE = Duration.ofSeconds(1);
  /** How long the callers may take for a few more calls: a hang, not a slow machine. */
  private static final Duration CALLS_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Path file;
  private final SteppedClock clock = new SteppedClock();
  private final AtomicLong mtime = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger installed = new AtomicInteger();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private PolicyHolder holder;
  private PolicyWatcher watcher;
  private ProxyFixture fx;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("policy.yaml");
    write(ProxyFixture.policyYaml());
    holder = new PolicyHolder(null);
    watcher = new PolicyWatcher(file, holder, new ReloadListener() {
      @Override
      public void installed(PolicySnapshot snapshot) {
        installed.incrementAndGet();
      }

      @Override
      public void rejected(String source, String error) {
        rejected.add(error);
      }
    }, clock, SETTLE);
    watcher.loadInitial();
    fx = ProxyFixture.builder().holder(holder).start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    watcher.close();
  }

  /**
   * Replaces the file atomically (as a ConfigMap swap or an editor's rename does) and moves its
   * modification time on by a second, as a real edit would; the watcher goes by the content's
   * hash, so a new time alone must not reload anything ({@link #unchangedContentIsNotReloaded}).
   */
  private void write(String content) throws IOException {
    Path tmp = dir.resolve("policy.yaml.tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("policy.yaml"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.setLastModifiedTime(dir.resolve("policy.yaml"),
        FileTime.fromMillis(mtime.addAndGet(1000)));
  }

  /**
   * Two polls a settle time apart, as the scheduler would make them: the first only sees the
   * changed file, the second installs it (or rejects it). True when it was installed.
   */
  private boolean reload() {
    assertFalse(watcher.checkNow(), "a changed file is not loaded at first sight");
    clock.step(SETTLE);
    return watcher.checkNow();
  }

  private static String withDevGrants(String grants) {
    String base = ProxyFixture.policyYaml();
    assertTrue(base.contains(BASE_GRANTS));
    return base.replace(BASE_GRANTS, "namespaces: {" + grants + "}");
  }

  private Status.Code startIn(String namespace) {
    byte[] body = StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
        .setWorkflowId("w1").build().toByteArray();
    return fx.unary(DEV, START, body).awaitClose().getCode();
  }

  @Test
  void validChangeTakesEffectForNewCalls() throws Exception {
    assertEquals(Status.Code.PERMISSION_DENIED, startIn("payments"));

    write(withDevGrants("orders: write, payments: write"));
    assertTrue(reload());

    assertEquals(Status.Code.OK, startIn("payments"));
    assertEquals(Status.Code.OK, startIn("orders"));
    ReloadStatus status = watcher.status();
    assertEquals(1, status.succeeded());
    assertEquals(0, status.failed());
    assertEquals("", status.lastError());
    assertEquals(2, installed.get());
  }

  @Test
  void invalidFileKeepsTheOldPolicyAndIsCountedWithItsError() throws Exception {
    PolicySnapshot before = holder.current();
    write(withDevGrants("orders: write, payments: write").replace("role: developer",
        "role: wizard"));

    assertFalse(reload());

    assertSame(before, holder.current());
    ReloadStatus status = watcher.status();
    assertEquals(0, status.succeeded());
    assertEquals(1, status.failed());
    assertTrue(status.lastError().contains("wizard"), status.lastError());
    assertEquals(1, rejected.size());
    assertEquals(Status.Code.OK, startIn("orders"));
    assertEquals(Status.Code.PERMISSION_DENIED, startIn("payments"));

    assertFalse(watcher.checkNow(), "the same rejected file is not retried");
    assertEquals(1, watcher.status().failed());

    write("users: [");
    assertFalse(reload());
    assertEquals(2, watcher.status().failed());
    assertTrue(watcher.status().lastError().contains("YAML"), watcher.status().lastError());

    write(withDevGrants("orders: write, payments: write"));
    assertTrue(reload());
    assertEquals(1, watcher.status().succeeded());
    assertEquals("", watcher.status().lastError());
    assertEquals(Status.Code.OK, startIn("payments"));
  }

  @Test
  void unchangedContentIsNotReloaded() throws Exception {
    PolicySnapshot before = holder.current();
    assertFalse(watcher.checkNow(), "nothing changed");

    write(ProxyFixture.policyYaml());
    assertFalse(watcher.checkNow(), "same content, new modification time");

    assertSame(before, holder.current());
    assertEquals(0, watcher.status().succeeded());
    assertEquals(0, watcher.status().failed());
    assertEquals(1, installed.get());
  }

  @Test
  void reloadsUnderTrafficBreakNoCall() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    CallProgress calls = new CallProgress();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      workers.add(pool.submit(() -> {
        try {
          while (running.get()) {
            calls.record(startIn("orders"));
          }
        } catch (RuntimeException | Error e) {
          calls.failed("a caller thread died: " + e);
          throw e;
        }
      }));
    }
    try {
      calls.awaitMore(50, CALLS_TIMEOUT);
      for (int i = 1; i <= 20; i++) {
        write(withDevGrants("orders: write, extra" + i + ": " + (i % 2 == 0 ? "read" : "admin")));
        assertTrue(reload(), "version " + i + " was not installed");
        calls.awaitMore(5, CALLS_TIMEOUT);
      }
      write(withDevGrants("orders: write, payments: write"));
      assertTrue(reload());
      calls.awaitMore(20, CALLS_TIMEOUT);
    } finally {
      running.set(false);
      pool.shutdown();
    }
    for (Future<?> worker : workers) {
      worker.get(10, TimeUnit.SECONDS);
    }
    assertEquals(List.of(), calls.failures(), "calls failed during reloads");
    assertEquals(21, watcher.status().succeeded());
    assertEquals(0, watcher.status().failed());
    assertEquals(Status.Code.OK, startIn("payments"));
  }

  /**
   * The outcomes of the callers' calls. {@link #awaitMore} blocks (no spinning) until enough
   * further calls succeed; every outcome wakes it, so a failure ends the wait at once. Thread-safe.
   */
  private static final class CallProgress {
    private int succeeded;
    private final List<String> failures = new ArrayList<>();

    synchronized void record(Status.Code code) {
      if (code == Status.Code.OK) {
        succeeded++;
      } else {
        failures.add(code.toString());
      }
      notifyAll();
    }

    synchronized void failed(String failure) {
      failures.add(failure);
      notifyAll();
    }

    synchronized List<String> failures() {
      return List.copyOf(failures);
    }

    /**
     * Waits until {@code more} calls have succeeded after this one was made; fails with the
     * failures if a call fails first, and with the count if {@code timeout} passes first.
     */
    synchronized void awaitMore(int more, Duration timeout) throws InterruptedException {
      int target = succeeded + more;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (succeeded < target) {
        if (!failures.isEmpty()) {
          fail("calls failed during reloads: " + failures);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("only " + (more - (target - succeeded)) + " of " + more
              + " calls succeeded within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /**
   * A same-size edit that keeps the modification time the watcher last saw (two writes within
   * one tick of the file system clock, or on a file system with 1 s / 2 s timestamps) is still
   * noticed: the watcher compares the content's hash on every poll, not the mtime and size.
   */
  @Test
  void sameSizeChangeWithinOneMtimeTickIsNoticed() throws Exception {
    FileTime seen = Files.getLastModifiedTime(file);
    String rotated = ProxyFixture.policyYaml().replace(
        "298754db2dbab6ec62605ceb0379eb7ee376580359449efe0caa3aa06cd56736",
        "0000000000000000000000000000000000000000000000000000000000000000");
    Files.writeString(file, rotated, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, seen);

    assertTrue(reload(), "the changed file was not reloaded");
    assertEquals(Status.Code.UNAUTHENTICATED, startIn("orders"));
  }

  /**
   * Rejections are de-duplicated until the file changes, and a revert to the version in force is
   * such a change: it forgets the rejected version, so the same bad file deployed again is counted
   * and reported to the listener again.
   */
  @Test
  void badFileRedeployedAfterARevertIsReportedAgain() throws Exception {
    String good = ProxyFixture.policyYaml();
    String bad = good.replace("role: developer", "role: wizard");
    write(bad);
    assertFalse(reload());
    write(good);
    assertFalse(watcher.checkNow(), "the version in force is not reloaded");
    write(bad);
    assertFalse(reload());

    assertEquals(2, watcher.status().failed(), "the second bad deploy was not counted");
    assertEquals(2, rejected.size(), "the second bad deploy was not reported");
  }
}
