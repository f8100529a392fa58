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
