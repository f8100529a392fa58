package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.util.Timeout;
import io.grpc.netty.shaded.io.netty.util.TimerTask;
import java.time.Duration;

/**
 * One call's claim on the {@link RequestBudget} and its request timer: room is reserved before a
 * message is asked for and given back exactly once, whichever way the call goes on or ends.
 *
 * <p>Threading: not thread-safe; used only from its call's serializer (and from the call's start,
 * before any event can arrive).
 */
final class RequestHold {
  private final RequestBudget budget;
  private boolean reserved;
  private boolean awaiting;
  private Timeout timer;

  RequestHold(RequestBudget budget) {
    this.budget = budget;
  }

  /** Reserves room for one request message; false (nothing held) when the budget is spent. */
  boolean reserve() {
    if (reserved) {
      throw new IllegalStateException("room for a request message is already held");
    }
    reserved = budget.tryReserve();
    return reserved;
  }

  /** Gives the room back if it is held; does nothing otherwise. */
  void release() {
    if (reserved) {
      reserved = false;
      budget.release();
    }
  }

  /** Waits for the request: {@code onLate} runs on the timer's thread unless it arrives in time. */
  void await(TimerTask onLate, Duration timeout) {
    awaiting = true;
    timer = RequestTimer.schedule(onLate, timeout.toNanos());
  }

  /** True while the request is awaited; a timer that fires after {@link #arrived} finds false. */
  boolean awaiting() {
    return awaiting;
  }

  /** The request has arrived: the timer is cancelled. */
  void arrived() {
    awaiting = false;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** The call is over: timer cancelled, room given back. */
  void end() {
    arrived();
    release();
  }
}
