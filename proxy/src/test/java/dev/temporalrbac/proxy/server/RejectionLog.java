package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Decision;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CallObserver} that keeps the rejections and decisions it is told of, in order. */
final class RejectionLog implements CallObserver {
  final List<Rejection> rejections = new CopyOnWriteArrayList<>();
  final List<Decision> decisions = new CopyOnWriteArrayList<>();

  @Override
  public void decided(Decision decision, CallInfo call, boolean enforced) {
    decisions.add(decision);
  }

  @Override
  public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

  @Override
  public void decisionTime(long nanos) {}

  @Override
  public void callRejected(CallInfo call, Rejection reason) {
    rejections.add(reason);
  }

  List<Rejection> rejections() {
    return new ArrayList<>(rejections);
  }
}
