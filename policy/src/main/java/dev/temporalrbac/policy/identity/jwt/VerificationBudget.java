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

  /**
   * What one signature check of {@code alg} costs, in RS256 checks: an ECDSA check measured about
   * six times an RS256 one on the JDK (BENCHMARKS.md, JWT callers), so it counts 5.
   */
  static int cost(com.nimbusds.jose.JWSAlgorithm alg) {
    return com.nimbusds.jose.JWSAlgorithm.Family.EC.contains(alg) ? 5 : 1;
  }

  /** Takes one RS256-equivalent check from this second's budget; false when it is spent. */
  boolean tryTake() {
    return tryTake(1);
  }

  /** Takes {@code units} from this second's budget; false (taking nothing) when too few are left. */
  boolean tryTake(int units) {
    int need = Math.min(units, perSecond); // a budget below one check's cost still allows one
    long second = clock.millis() / 1000;
    while (true) {
      long current = state.get();
      long window = current >>> 20;
      long spent = window == second ? current & 0xFFFFF : 0;
      if (spent + need > perSecond) {
        return false;
      }
      if (state.compareAndSet(current, (second << 20) | (spent + need))) {
        return true;
      }
    }
  }

  int perSecond() {
    return perSecond;
  }
}
