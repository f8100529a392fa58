package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shadow policy ({@code policy.shadow}): a second policy every call is also decided under,
 * with the same engine, only to be counted and logged. It reports each enforced decision to the
 * {@link CallObserver} together with the shadow policy's decision of the same call. Its decision
 * never acts: it opens no call, refuses none, changes no status and reserves nothing; a shadow
 * decision that throws is counted ({@link CallObserver#shadowFailed}) and logged at most once a
 * minute, never passed to the call. Absent (null where it would be held) when no shadow policy is
 * configured, so a proxy without one pays a null check per call and nothing more.
 *
 * <p>Cost to the call: the shadow decision is made on the call's thread, after the enforced
 * decision and before it is acted on (the call forwarded or refused), so each call waits for one
 * more in-memory decision, about a microsecond. It does no I/O and checks no signature: a JWT the
 * enforced decision verified is not verified again (the verified-token cache remembers it
 * whatever the enforced policy made of its subject), unless that cache is off or the token is an
 * API key of the enforced policy only.
 *
 * <p>A refusal that holds under any policy ({@link Decider#refusalHoldsUnder}: the credential
 * itself fails, e.g. a token's signature) is reported as the shadow's answer too, without asking
 * the shadow policy, so a failing token is verified once.
 *
 * <p>Threading: shared by every call; any thread. The snapshot is read once per call, as the
 * enforced one is.
 */
final class ShadowPolicy {
  private static final Logger LOG = Logger.getLogger(ShadowPolicy.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final PolicyHolder holder;
  private final Decider decider;
  private final CallObserver observer;
  /** When the next failure may be logged ({@link System#nanoTime()}); earlier ones are counted. */
  private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

  private ShadowPolicy(PolicyHolder holder, Decider decider, CallObserver observer) {
    this.holder = holder;
    this.decider = decider;
    this.observer = observer;
  }

  /**
   * The shadow policy held by {@code holder}, decided by {@code decider} and reported to
   * {@code observer}; null when {@code holder} is (none configured).
   */
  static ShadowPolicy of(PolicyHolder holder, Decider decider, CallObserver observer) {
    return holder == null ? null : new ShadowPolicy(holder, decider, observer);
  }

  /**
   * Reports {@code decision}, the enforced decision of a call, with the shadow policy's decision
   * of the same call (same caller, method, body and header namespaces). Without a shadow
   * snapshot, or when its decision throws, {@code decision} is reported alone.
   *
   * @param enforced as for {@link CallObserver#decided}
   * @param body the request message; null for a call decided on its headers alone
   */
  void report(Decision decision, boolean enforced, Caller caller, byte[] body,
      List<String> headerNamespaces, CallInfo call) {
    PolicySnapshot snapshot = holder.current();
    Decision shadow = null;
    if (snapshot != null) {
      try {
        shadow = decider.refusalHoldsUnder(snapshot, caller, decision) ? decision
            : decider.decide(snapshot, caller, call.fullMethod(), body, headerNamespaces);
      } catch (RuntimeException e) {
        failed(e, call);
      }
    }
    if (shadow == null) {
      observer.decided(decision, call, enforced);
    } else {
      observer.decidedWithShadow(decision, shadow, call, enforced);
    }
  }

  /**
   * Reports {@code refusal}, the enforced policy's refusal of a call at its headers (the caller
   * does not authenticate there; the call is answered at once, as without a shadow policy), with
   * what the shadow policy would answer: refused too ({@link CallObserver#decidedWithShadow}), or
   * undecided when it authenticates the caller, since its answer would depend on the body, which
   * is never read ({@link CallObserver#shadowUndecided}). Without a shadow snapshot, or when its
   * decision throws, {@code refusal} is reported alone.
   */
  void reportRefusal(Decision refusal, Caller caller, CallInfo call) {
    PolicySnapshot snapshot = holder.current();
    Decision shadow = null;
    boolean undecided = false;
    if (snapshot != null) {
      try {
        shadow = decider.refusalHoldsUnder(snapshot, caller, refusal) ? refusal
            : decider.refusalAtHeaders(snapshot, caller, call.fullMethod());
        undecided = shadow == null;
      } catch (RuntimeException e) {
        failed(e, call);
      }
    }
    if (undecided) {
      observer.shadowUndecided(refusal, call);
    } else if (shadow == null) {
      observer.decided(refusal, call, true);
    } else {
      observer.decidedWithShadow(refusal, shadow, call, true);
    }
  }

  /**
   * The shadow decision of {@code call} threw: counts it and logs it, at most once a minute
   * across all calls (a broken shadow policy must not flood the log at the call rate). Never
   * throws.
   */
  private void failed(RuntimeException e, CallInfo call) {
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
