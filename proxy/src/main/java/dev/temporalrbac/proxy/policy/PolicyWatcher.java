package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
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
 * and swaps it into the {@link PolicyHolder}. A file that does not load is rejected, logged and
 * reported; the snapshot in force stays. Each poll reads the file and compares its content hash
 * with the version in force: modification times are not trusted (coarse on some file systems,
 * preserved by copy tools), and this works through the symlink swaps of Kubernetes ConfigMaps.
 * Hashing costs about 2 ms per MiB of policy per poll.
 *
 * <p>The scheduler and clock are injected, so tests call {@link #checkNow()} instead of sleeping.
 * {@code checkNow} is safe to call from any thread; checks never overlap.
 */
public final class PolicyWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PolicyWatcher.class.getName());

  private final Path file;
  private final PolicyHolder holder;
  private final ReloadListener listener;
  private final Clock clock;
  private String rejectedVersion;
  private long succeeded;
  private long failed;
  private String lastError = "";
  private Instant lastAttempt;
  private ScheduledFuture<?> task;

  public PolicyWatcher(Path file, PolicyHolder holder, ReloadListener listener, Clock clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
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

  /** Reloads if the file changed; returns true when a new snapshot was installed. */
  public synchronized boolean checkNow() {
    byte[] document;
    try {
      document = Files.readAllBytes(file);
    } catch (IOException e) {
      return reject("cannot read the policy file: " + e, "unreadable:" + e.getClass().getName());
    }
    PolicySnapshot current = holder.current();
    String version = PolicyLoader.version(document);
    if (current != null && version.equals(current.version())) {
      rejectedVersion = null;
      return false;
    }
    if (version.equals(rejectedVersion)) {
      return false;
    }
    lastAttempt = clock.instant();
    try {
      PolicySnapshot next = PolicyLoader.parse(document, file.toString(), clock.instant());
      holder.install(next);
      succeeded++;
      lastError = "";
      rejectedVersion = null;
      LOG.info(() -> "policy reloaded from " + file + ": version " + next.version());
      listener.installed(next);
      return true;
    } catch (PolicyException e) {
      return reject(e.getMessage(), version);
    }
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
