package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shadow policy ({@code policy.shadow}): a second policy every call is also decided under,
 * with the same engine, only to be counted and logged. Its decision never acts: it opens no call,
 * refuses none and changes no status, and a shadow decision that throws is counted
 * ({@link CallObserver#shadowFailed}) and logged at most once a minute, never passed to the call.
 * Absent (null where it would be held) when no shadow policy is configured, so a proxy without
 * one pays a null check per call and nothing more.
 *
 * <p>Threading: shared by every call; any thread. The snapshot is read once per call
 * ({@link #current()}), as the enforced one is.
 */
final class ShadowPolicy {
  private static final Logger LOG = Logger.getLogger(ShadowPolicy.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final PolicyHolder holder;
  /** When the next failure may be logged ({@link System#nanoTime()}); earlier ones are counted. */
  private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

  private ShadowPolicy(PolicyHolder holder) {
    this.holder = holder;
  }

  /** The shadow policy held by {@code holder}; null when {@code holder} is (none configured). */
  static ShadowPolicy of(PolicyHolder holder) {
    return holder == null ? null : new ShadowPolicy(holder);
  }

  /** The shadow snapshot, or null while none is loaded (calls are then decided without one). */
  PolicySnapshot current() {
    return holder.current();
  }

  /**
   * The shadow decision of {@code call} threw: counts it and logs it, at most once a minute
   * across all calls (a broken shadow policy must not flood the log at the call rate). Never
   * throws.
   */
  void failed(RuntimeException e, CallInfo call, CallObserver observer) {
    try {
      observer.shadowFailed(call);
    } catch (RuntimeException ignored) {
      // an observer's failure is not the call's either
    }
    long now = System.nanoTime();
    long next = nextLog.get();
    if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      LOG.log(Level.WARNING, e, () -> "the shadow policy could not decide a call of "
          + call.fullMethod() + "; the enforced decision stands (logged at most once a minute,"
          + " every failure is counted)");
    }
  }
}
