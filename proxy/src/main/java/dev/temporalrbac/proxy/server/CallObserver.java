package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Decision;
import io.grpc.Status;

/**
 * Told what happens to each call, for metrics and the audit log. Called on transport threads:
 * implementations must not block.
 */
public interface CallObserver {
  /**
   * A call was decided.
   *
   * @param enforced false when a deny was only recorded (dry run) and the call went on
   */
  void decided(Decision decision, CallInfo call, boolean enforced);

  /**
   * A call was decided by the policy in force ({@code decision}, which alone acts) and, beside
   * it, by the shadow policy ({@code shadow}, which only counts and logs). Reported instead of
   * {@link #decided} for a call decided while a shadow policy is loaded, so an observer sees the
   * two decisions of one call together (the audit log writes them as one line). The default
   * reports {@code decision} to {@link #decided}: an observer that ignores shadow policies needs
   * nothing more.
   *
   * @param enforced as for {@link #decided}; it concerns {@code decision} only
   */
  default void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
      boolean enforced) {
    decided(decision, call, enforced);
  }

  /**
   * A call refused at its headers by the policy in force ({@code decision}: the caller does not
   * authenticate there) whose caller the shadow policy does authenticate: what the shadow policy
   * would decide depends on the request body, which a call refused at its headers never sends,
   * so the shadow's answer is unknown ({@code temporal_rbac_shadow_decisions_total{result=
   * "undecided"}}). Reported instead of {@link #decided}; the default reports {@code decision}
   * there (always enforced: a dry run never refuses at headers).
   */
  default void shadowUndecided(Decision decision, CallInfo call) {
    decided(decision, call, true);
  }

  /**
   * The shadow policy could not decide a call (its decider threw); the call went on under the
   * enforced decision, which is reported to {@link #decided} as without a shadow policy.
   */
  default void shadowFailed(CallInfo call) {}

  /** A forwarded call ended upstream with {@code code} after {@code nanos}. */
  void upstreamClosed(CallInfo call, Status.Code code, long nanos);

  /** Decision cost, for the decision-duration histogram. */
  void decisionTime(long nanos);

  /**
   * The proxy ended a call itself for {@code reason} (its size, shape or pace), whether or not it
   * had been decided. At most once per call.
   */
  default void callRejected(CallInfo call, Rejection reason) {}

  CallObserver NONE = new CallObserver() {
    @Override
    public void decided(Decision decision, CallInfo call, boolean enforced) {}

    @Override
    public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

    @Override
    public void decisionTime(long nanos) {}
  };
}
