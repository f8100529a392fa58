package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.load.RemovalGuard;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hot reload: polls the policy file and, when its content changes, loads it off the request path
 * and swaps it into the {@link PolicyHolder}. Each poll reads the file and compares its content
 * hash with the version in force: modification times are not trusted (coarse on some file
 * systems, preserved by copy tools). The path is opened afresh on every poll, so the atomic
 * {@code ..data} symlink swap of a Kubernetes ConfigMap is followed. Hashing costs about 2 ms per
 * MiB of policy per poll.
 *
 * <p>A changed version is installed only when it is
 * <ol>
 *   <li>settled: the same content was read again at least {@code settle} after it was first
 *       seen, so a file still being written (a non-atomic copy caught half-way, which is often
 *       valid YAML and a valid, emptier policy) is not installed; a file that keeps changing is
 *       not installed until it holds still. Zero settle installs at first sight, for files that
 *       are only ever replaced atomically. A file that cannot be read settles alike (it may be
 *       missing for a moment while it is replaced);
 *   <li>valid: it loads ({@link PolicyLoader});
 *   <li>not a mass removal: {@link RemovalGuard} against the version in force.
 * </ol>
 * A version failing 2 or 3 is rejected: logged, reported to the {@link ReloadListener}, counted
 * in {@link #status()} with the reason, and remembered so the same content is not retried (or
 * counted again) until the file changes. The snapshot in force stays. A version still settling is
 * neither installed nor counted. The initial load has nothing in force to compare with, so the
 * removal guard does not apply to it (a file cut short at start is then a policy that denies
 * more, never one that allows more).
 *
 * <p>The scheduler and clock are injected, so tests call {@link #checkNow()} and step the clock
 * instead of sleeping. {@code checkNow} is safe to call from any thread; checks never overlap.
 */
public final class PolicyWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PolicyWatcher.class.getName());

  private final Path file;
  private final PolicyHolder holder;
  private final ReloadListener listener;
  private final Clock clock;
  private final Duration settle;
  private String rejectedVersion;
  private String settlingVersion;
  private Instant settlingSince;
  private long succeeded;
  private long failed;
  private String lastError = "";
  private Instant lastAttempt;
  private ScheduledFuture<?> task;

  /**
   * @param settle how long a changed content must stay the same before it is loaded
   *     ({@code policy.settle}); zero loads it at first sight
   */
  public PolicyWatcher(Path file, PolicyHolder holder, ReloadListener listener, Clock clock,
      Duration settle) {
    this.file = Objects.requireNonNull(file, "file");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settle = Objects.requireNonNull(settle, "settle");
    if (settle.isNegative()) {
      throw new IllegalArgumentException("policy.settle must not be negative");
    }
  }

  /**
   * Loads the file for the first time. Unlike a reload, failure here is fatal to the caller:
   * the proxy does not start without a policy.
   */
  public synchronized PolicySnapshot loadInitial() throws PolicyException {
    PolicySnapshot snapshot = PolicyLoader.load(file, clock.instant());
    holder.install(snapshot);
    listener.installed(snapshot);
    return snapshot;
  }

  /** Checks the file every {@code interval} on {@code scheduler} until closed. */
  public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    long millis = Math.max(1, interval.toMillis());
    task = scheduler.scheduleWithFixedDelay(this::checkQuietly, millis, millis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the file and installs its content if it changed, has settled, loads and passes the
   * removal guard; returns true when a new snapshot was installed.
   */
  public synchronized boolean checkNow() {
    byte[] document;
    try {
      document = Files.readAllBytes(file);
    } catch (IOException e) {
      // A file briefly missing while it is replaced is not a failure; one that stays so is.
      String unreadable = "unreadable:" + e.getClass().getName();
      return !unreadable.equals(rejectedVersion) && settled(unreadable)
          && reject("cannot read the policy file: " + e, unreadable);
    }
    PolicySnapshot current = holder.current();
    String version = PolicyLoader.version(document);
    if (current != null && version.equals(current.version())) {
      rejectedVersion = null;
      settlingVersion = null;
      return false;
    }
    if (version.equals(rejectedVersion) || !settled(version)) {
      return false;
    }
    settlingVersion = null;
    lastAttempt = clock.instant();
    PolicySnapshot next;
    try {
      next = PolicyLoader.parse(document, file.toString(), clock.instant());
    } catch (PolicyException e) {
      return reject(e.getMessage(), version);
    }
    if (current != null) {
      RemovalGuard.Verdict verdict = RemovalGuard.check(current, next);
      if (verdict.rejected()) {
        return reject("removal guard: " + verdict.message(), version);
      }
      if (verdict.large()) {
        LOG.warning(() -> "policy version " + next.version() + ": " + verdict.message());
      }
    }
    holder.install(next);
    succeeded++;
    lastError = "";
    rejectedVersion = null;
    LOG.info(() -> "policy reloaded from " + file + ": version " + next.version());
    listener.installed(next);
    return true;
  }

  /**
   * True once {@code version} has been read at least {@code settle} apart; the first sight of a
   * version (or of a different one) starts its settle time afresh. A clock set back restarts
   * it too, so a clock step never holds a reload back for longer than one settle time.
   */
  private boolean settled(String version) {
    if (settle.isZero()) {
      return true;
    }
    Instant now = clock.instant();
    if (!version.equals(settlingVersion)) {
      settlingVersion = version;
      settlingSince = now;
      LOG.fine(() -> "policy file changed (" + version + "); installing once it stays the same"
          + " for " + settle);
      return false;
    }
    if (now.isBefore(settlingSince)) {
      settlingSince = now; // the wall clock was set back: time the settle from here
    }
    return Duration.between(settlingSince, now).compareTo(settle) >= 0;
  }

  /** Counts and last error so far. */
  public synchronized ReloadStatus status() {
    return new ReloadStatus(succeeded, failed, lastError, lastAttempt);
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private boolean reject(String error, String version) {
    if (version != null && version.equals(rejectedVersion)) {
      return false;
    }
    rejectedVersion = version;
    settlingVersion = null;
    failed++;
    lastError = error;
    lastAttempt = clock.instant();
    LOG.warning("policy reload rejected, the previous policy stays in force: " + error);
    listener.rejected(file.toString(), error);
    return false;
  }

  private void checkQuietly() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "policy check failed", e);
    }
  }

}
