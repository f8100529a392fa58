package dev.temporalrbac.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
  @Test
  void roomIsMadeByClosingTheConnectionThatWaitedLongest() {
    ConnectionBudget budget = new ConnectionBudget(2);
    EmbeddedChannel first = new EmbeddedChannel();
    EmbeddedChannel second = new EmbeddedChannel();
    assertTrue(budget.opened());
    budget.waiting(first);
    assertTrue(budget.opened());
    budget.waiting(second);

    assertTrue(budget.opened(), "a third connection gets in");
    assertFalse(first.isOpen(), "the eldest waiting one made room");
    assertTrue(second.isOpen());
  }

  @Test
  void aConnectionBeingAnsweredIsNeverClosedToMakeRoom() {
    ConnectionBudget budget = new ConnectionBudget(2);
    EmbeddedChannel busy = new EmbeddedChannel();
    EmbeddedChannel waiting = new EmbeddedChannel();
    assertTrue(budget.opened());
    budget.waiting(busy);
    budget.busy(busy);
    assertTrue(budget.opened());
    budget.waiting(waiting);

    assertTrue(budget.opened());
    assertTrue(busy.isOpen());
    assertFalse(waiting.isOpen());
  }

  @Test
  void aFullPortOfBusyConnectionsRefusesANewOneUntilOneCloses() {
    ConnectionBudget budget = new ConnectionBudget(1);
    EmbeddedChannel busy = new EmbeddedChannel();
    assertTrue(budget.opened());
    budget.waiting(busy);
    budget.busy(busy);

    assertFalse(budget.opened());
    assertTrue(busy.isOpen());
    budget.closed(busy);
    assertTrue(budget.opened());
  }
}
