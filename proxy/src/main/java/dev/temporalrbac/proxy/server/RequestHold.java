package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.util.Timeout;
import io.grpc.netty.shaded.io.netty.util.TimerTask;
import java.time.Duration;

/**
 * One call's claim on the {@link RequestBudget}, and its request timer: room for a whole message is reserved before a message is asked for, shrinks to
 * the message's size once it is in, and is given back exactly once, whichever way the call goes
 * on or ends.
 *
 * <p>Threading: not thread-safe; used only from its call's serializer (and from the call's start,
 * before any event can arrive).
 */
final class RequestHold {
  private final RequestBudget budget;
  /** Bytes held in both budgets; 0 when nothing is held. */
  private long held;
  private boolean awaiting;
  private Timeout timer;

  RequestHold(RequestBudget budget) {
    this.budget = budget;
  }

  /** Reserves room for one whole request message; false (nothing held) when the budget is spent. */
  boolean reserve() {
    if (held != 0) {
      throw new IllegalStateException("room for a request message is already held");
    }
    if (!budget.tryReserve()) {
      return false;
    }
    held = budget.perRequest();
    return true;
  }

  /** The message is in and {@code size} bytes long: only that much stays held. */
  void shrinkTo(int size) {
    if (size < held) {
      give(held - size);
      held = size;
    }
  }

  /** Gives the room back if it is held; does nothing otherwise. */
  void release() {
    if (held != 0) {
      give(held);
      held = 0;
    }
  }

  /** Bytes held now (tests). */
  long heldBytes() {
    return held;
  }

  private void give(long bytes) {
    budget.release(bytes);
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
