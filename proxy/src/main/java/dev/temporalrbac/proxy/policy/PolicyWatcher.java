package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyError;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.load.RemovalGuard;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hot reload: polls a {@link PolicySource} and, when its content changes, loads it off the request
 * path and swaps it into the {@link PolicyHolder}. Each poll reads the source and compares the
 * content's hash with the version in force: modification times are not trusted (coarse on some
 * file systems, preserved by copy tools). Hashing costs about 2 ms per MiB of policy per poll.
 *
 * <p>A changed version is installed only when it is
 * <ol>
 *   <li>settled, for a source that {@link PolicySource#settles()} (a file): the same content was
 *       read again at least {@code settle} after it was first seen, so a file still being written
 *       (a non-atomic copy caught half-way, which is often valid YAML and a valid, emptier policy)
 *       is not installed; a file that keeps changing is not installed until it holds still. Zero
 *       settle installs at first sight. A source that cannot be read settles alike (a file may be
 *       missing for a moment while it is replaced);
 *   <li>signed, when a {@link PolicySignature} is configured: its detached JWS verifies, and it
 *       was signed later than the signed version in force ({@link ReplayGuard}; a restarted
 *       replica has none to compare with, so at start any validly signed version is accepted);
 *   <li>valid: it loads ({@link PolicyLoader});
 *   <li>not a mass removal: {@link RemovalGuard} against the version in force.
 * </ol>
 * A version failing 2 to 4 is rejected: logged, reported to the {@link ReloadListener}, counted in
 * {@link #status()} with the reason, and remembered (with its signature's bytes) so the same
 * content is not checked or counted again until it or its signature changes; or, when the verdict
 * may change by itself (it depended on the signing keys, or on the clock), until {@link ReloadMemory#RECHECK}.
 * A source that cannot be read is a failure counted once per streak of the same error and
 * retried every poll. The snapshot in force stays in every case; while there is none, the holder
 * says why ({@link PolicyHolder#problem()}). A version still settling is neither installed nor
 * counted. The initial load has nothing in force to compare with, so the removal guard does not
 * apply to it (a file cut short at start is then a policy that denies more, never one that
 * allows more).
 *
 * <p>The scheduler and clock are injected, so tests call {@link #checkNow()} and step the clock
 * instead of sleeping. {@code checkNow} is safe to call from any thread; checks never overlap.
 */
public final class PolicyWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PolicyWatcher.class.getName());

  private final PolicySource source;
  private final PolicySignature signature;
  private final PolicyHolder holder;
  private final ReloadListener listener;
  private final Clock clock;
  private final Duration settle;
  private final ReloadMemory rejections = new ReloadMemory();
  private final ReplayGuard replays = new ReplayGuard();
  private long succeeded;
  private long failed;
  private String lastError = "";
  private Instant lastAttempt;
  private ScheduledFuture<?> task;

  /** A policy file without a signature (the watcher of earlier versions). */
  public PolicyWatcher(Path file, PolicyHolder holder, ReloadListener listener, Clock clock,
      Duration settle) {
    this(new FileSource(file, false), null, holder, listener, clock, settle);
  }

  /**
   * @param signature checks each new version's signature; null when the source is not signed
   * @param settle how long a changed content must stay the same before it is loaded, for a
   *     source that settles ({@code policy.settle}); zero loads it at first sight
   */
  public PolicyWatcher(PolicySource source, PolicySignature signature, PolicyHolder holder,
      ReloadListener listener, Clock clock, Duration settle) {
    this.source = Objects.requireNonNull(source, "source");
    this.signature = signature;
    this.holder = Objects.requireNonNull(holder, "holder");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settle = Objects.requireNonNull(settle, "settle");
    if (settle.isNegative()) {
      throw new IllegalArgumentException("policy.settle must not be negative");
    }
  }

  /**
   * Loads the source for the first time, without waiting to settle. Unlike a reload, failure here
   * is fatal to the caller (a file or directory source: the proxy does not start without a
   * policy). A directory swapped during the read is read again, up to three times.
   *
   * @throws PolicyException every error of the document, or why it cannot be read or verified
   */
  public synchronized PolicySnapshot loadInitial() throws PolicyException {
    PolicyRead read = PolicyRead.MOVING;
    Instant signedAt = null;
    PolicySnapshot snapshot;
    try {
      for (int attempt = 0; attempt < 3 && read.moving(); attempt++) {
        read = source.read(null);
      }
      if (read.moving()) {
        throw new IOException(source.describe() + " kept changing while it was read");
      }
      if (signature != null) {
        signedAt = signature.verify(read.content().signedBytes(), read.signature());
        replays.check(signedAt, clock.instant());
      }
      snapshot = read.content().load(clock.instant());
    } catch (IOException e) {
      throw failure(e.getMessage());
    } catch (PolicySignature.Rejected e) {
      throw failure("signature: " + e.getMessage());
    } catch (RuntimeException e) {
      throw failure(unforeseen(e));
    }
    install(snapshot, signedAt);
    return snapshot;
  }

  /** A runtime exception from a read, check or load, as a failure message. */
  private String unforeseen(RuntimeException e) {
    LOG.log(Level.FINE, "policy read failed unexpectedly", e);
    return "cannot read or check " + source.describe() + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private PolicyException failure(String message) {
    return new PolicyException(List.of(new PolicyError(source.describe(), 0, "", message)));
  }

  /** Checks the source every {@code interval} on {@code scheduler} until closed. */
  public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    long millis = Math.max(1, interval.toMillis());
    task = scheduler.scheduleWithFixedDelay(this::checkQuietly, millis, millis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the source and installs its content if it changed, has settled, verifies, loads and
   * passes the removal guard; returns true when a new snapshot was installed.
   */
  public synchronized boolean checkNow() {
    PolicySnapshot current = holder.current();
    PolicyRead read;
    try {
      read = source.read(current == null ? null : current.version());
    } catch (IOException | RuntimeException e) {
      // A file briefly missing while it is replaced is not a failure; one that stays so is.
      String error = e instanceof RuntimeException r ? unforeseen(r) : e.getMessage();
      String key = "unreadable:" + error;
      return !rejections.isRejected(key) && settled(key) && reject(error, key, null, null);
    }
    if (read.moving()) {
      return false;
    }
    if (read.unchanged()) {
      confirmed();
      return false;
    }
    String version = read.content().version();
    if (current != null && version.equals(current.version())) {
      rejections.clear();
      confirmed();
      return false;
    }
    String fingerprint = ReloadMemory.fingerprint(version, read.signature());
    Instant now = clock.instant();
    if (rejections.holds(fingerprint, now) || !settled(fingerprint)) {
      return false;
    }
    rejections.settled();
    lastAttempt = now;
    Instant recheck = now.plus(ReloadMemory.RECHECK);
    Instant signedAt = null;
    PolicySnapshot next;
    try {
      if (signature != null) {
        signedAt = signature.verify(read.content().signedBytes(), read.signature());
        replays.check(signedAt, now);
      }
      next = read.content().load(now);
      if (current != null) {
        RemovalGuard.Verdict verdict = RemovalGuard.check(current, next);
        if (verdict.rejected()) {
          return reject("removal guard: " + verdict.message(), fingerprint, fingerprint, null);
        }
        if (verdict.large()) {
          LOG.warning(() -> "policy version " + next.version() + ": " + verdict.message());
        }
      }
    } catch (PolicySignature.Rejected e) {
      String error = "signature: " + e.getMessage();
      if (e.until() != null) { // the clock may catch up with its iat
        return reject(error, fingerprint + "|ahead", fingerprint, e.until());
      }
      return e.keySet() == null ? reject(error, fingerprint, fingerprint, null)
          : reject(error, fingerprint + "|keys " + e.keySet(), fingerprint, recheck);
    } catch (IOException e) { // the keys cannot be read
      return reject(e.getMessage(), fingerprint + "|" + e.getMessage(), fingerprint, recheck);
    } catch (PolicyException e) {
      return reject(e.getMessage(), fingerprint, fingerprint, null);
    } catch (RuntimeException e) {
      String error = unforeseen(e);
      return reject(error, fingerprint + "|" + error, fingerprint, recheck);
    }
    succeeded++;
    lastError = "";
    rejections.clear();
    LOG.info(() -> "policy reloaded from " + source.describe() + ": version " + next.version());
    install(next, signedAt);
    return true;
  }

  private void install(PolicySnapshot snapshot, Instant signedAt) {
    replays.installed(signedAt);
    holder.install(snapshot);
    listener.installed(snapshot);
    confirmed();
  }

  private void confirmed() {
    listener.confirmed(clock.instant());
  }

  /**
   * True once {@code version} has been read at least {@code settle} apart, or at once for a
   * source that does not settle; the first sight of a version (or of a different one) starts
   * its settle time afresh. A clock set back restarts it too, so a clock step never holds a
   * reload back for longer than one settle time.
   */
  private boolean settled(String version) {
    if (settle.isZero() || !source.settles()) {
      return true;
    }
    boolean settled = rejections.settled(version, clock.instant(), settle);
    if (!settled) {
      LOG.fine(() -> "policy source changed (" + version + "); installing once it stays the"
          + " same for " + settle);
    }
    return settled;
  }

  /** Counts and last error so far. */
  public synchronized ReloadStatus status() {
    return new ReloadStatus(succeeded, failed, lastError, lastAttempt);
  }

  /** The source watched. */
  public PolicySource source() {
    return source;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Counts a rejection unless {@code key} was the last; holds back {@code fingerprint}, if any. */
  private boolean reject(String error, String key, String fingerprint, Instant until) {
    boolean again = rejections.isRejected(key);
    rejections.rejected(key, fingerprint, clock.instant(), until);
    if (again) {
      return false;
    }
    failed++;
    lastError = error;
    lastAttempt = clock.instant();
    if (holder.current() == null) {
      holder.noPolicyBecause(error.contains(source.describe()) ? error
          : source.describe() + ": " + error);
    }
    LOG.warning("policy reload rejected, the previous policy stays in force: " + error);
    listener.rejected(source.describe(), error);
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
