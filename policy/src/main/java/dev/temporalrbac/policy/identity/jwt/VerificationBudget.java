package dev.temporalrbac.policy.identity.jwt;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many signature checks of new tokens may still run this second. A token that is not in the
 * verified-token cache costs a signature check (hundreds of microseconds), and anyone can send
 * one, so without a bound unauthenticated callers could spend the proxy's CPU on bogus tokens.
 * Tokens already verified never pass through here.
 *
 * <p>A fixed one-second window by the injected clock: the first {@code perSecond} checks of a
 * window pass, later ones are refused until the next. Lock-free: one compare-and-set per check;
 * thread-safe.
 */
final class VerificationBudget {
  private final Clock clock;
  private final int perSecond;
  /** The window's second (high 44 bits) and the checks spent in it (low 20 bits). */
  private final AtomicLong state = new AtomicLong();

  VerificationBudget(Clock clock, int perSecond) {
    if (perSecond < 1 || perSecond >= 1 << 20) {
      throw new IllegalArgumentException("checks per second must be in 1..1048575");
    }
    this.clock = clock;
    this.perSecond = perSecond;
  }

  /** Takes one check from this second's budget; false when it is spent. */
  boolean tryTake() {
    long second = clock.millis() / 1000;
    while (true) {
      long current = state.get();
      long window = current >>> 20;
      long spent = window == second ? current & 0xFFFFF : 0;
      if (spent >= perSecond) {
        return false;
      }
      if (state.compareAndSet(current, (second << 20) | (spent + 1))) {
        return true;
      }
    }
  }

  int perSecond() {
    return perSecond;
  }
}
