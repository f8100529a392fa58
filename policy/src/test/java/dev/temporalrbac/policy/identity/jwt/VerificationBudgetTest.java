package dev.temporalrbac.policy.identity.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fixed one-second window of signature checks, exact under contention. */
class VerificationBudgetTest {
  @Test
  void passesTheFirstChecksOfEachSecondOnly() {
    MutableClock clock = new MutableClock(Tokens.NOW);
    VerificationBudget budget = new VerificationBudget(clock, 3);
    assertTrue(budget.tryTake());
    assertTrue(budget.tryTake());
    assertTrue(budget.tryTake());
    assertFalse(budget.tryTake());
    clock.advance(Duration.ofMillis(999));
    assertFalse(budget.tryTake(), "the same second");
    clock.advance(Duration.ofMillis(1));
    assertTrue(budget.tryTake(), "a new second");
  }

  @Test
  void concurrentCallersNeverTakeMoreThanTheBudget() throws Exception {
    VerificationBudget budget = new VerificationBudget(Tokens.CLOCK, 1000);
    AtomicInteger taken = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            if (budget.tryTake()) {
              taken.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1000, taken.get());
  }

  @Test
  void refusesABudgetOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> new VerificationBudget(Tokens.CLOCK, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VerificationBudget(Tokens.CLOCK, 1 << 20));
  }
}
