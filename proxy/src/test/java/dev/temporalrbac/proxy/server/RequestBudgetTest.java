package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request buffer budget and one call's hold on it: never over capacity, given back once. */
@Timeout(30)
class RequestBudgetTest {
  @Test
  void reservesUpToCapacityAndNoFurther() {
    RequestBudget budget = new RequestBudget(300, 100);
    assertTrue(budget.tryReserve());
    assertTrue(budget.tryReserve());
    assertTrue(budget.tryReserve());
    assertFalse(budget.tryReserve());
    assertEquals(300, budget.reservedBytes());
    budget.release();
    assertTrue(budget.tryReserve());
    assertFalse(budget.tryReserve());
  }

  @Test
  void aBudgetMustHoldOneRequest() {
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(99, 100));
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(100, 0));
  }

  @Test
  void concurrentCallsNeverOverdrawAndGiveEverythingBack() throws Exception {
    RequestBudget budget = new RequestBudget(5 * 64, 64);
    AtomicLong highest = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 20_000; i++) {
          if (budget.tryReserve()) {
            highest.accumulateAndGet(budget.reservedBytes(), Math::max);
            budget.release();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(20_000);
    }
    assertEquals(0, budget.reservedBytes());
    assertTrue(highest.get() <= 5 * 64, "reserved " + highest.get() + " of 320");
  }

  @Test
  void aHoldGivesItsRoomBackExactlyOnce() {
    RequestBudget budget = new RequestBudget(200, 100);
    RequestHold hold = new RequestHold(budget);
    assertTrue(hold.reserve());
    assertThrows(IllegalStateException.class, hold::reserve);
    hold.release();
    hold.release();
    hold.end();
    assertEquals(0, budget.reservedBytes());
    RequestBudget one = new RequestBudget(100, 100);
    assertTrue(new RequestHold(one).reserve());
    RequestHold refused = new RequestHold(one);
    assertFalse(refused.reserve());
    refused.end(); // holds nothing: gives nothing back
    assertEquals(100, one.reservedBytes());
  }

  @Test
  void aHoldShrinksToItsMessageAndNeverGrowsBack() {
    RequestBudget budget = new RequestBudget(200, 100);
    RequestHold first = new RequestHold(budget);
    RequestHold second = new RequestHold(budget);
    assertTrue(first.reserve());
    assertTrue(second.reserve());
    RequestHold third = new RequestHold(budget);
    assertFalse(third.reserve());

    first.shrinkTo(30);
    assertEquals(30, first.heldBytes());
    assertEquals(130, budget.reservedBytes());
    first.shrinkTo(50); // never grows back
    assertEquals(30, first.heldBytes());
    second.end();
    assertTrue(third.reserve());
    assertEquals(130, budget.reservedBytes());

    first.end();
    third.end();
    assertEquals(0, budget.reservedBytes());
  }

  @Test
  void aHoldWhoseRequestIsLateRunsItsTaskAndOneThatArrivedIsNoLongerAwaited() throws Exception {
    RequestHold hold = new RequestHold(new RequestBudget(100, 100));
    CountDownLatch fired = new CountDownLatch(1);
    hold.await(timeout -> fired.countDown(), java.time.Duration.ofMillis(50));
    assertTrue(hold.awaiting());
    assertTrue(fired.await(10, TimeUnit.SECONDS), "the request timer did not fire");
    hold.arrived();
    assertFalse(hold.awaiting());
  }
}
