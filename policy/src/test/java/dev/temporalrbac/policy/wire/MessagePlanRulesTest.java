package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a {@link MessagePlan} accepts while it is built: one use per field, except a presence fact
 * alongside a child plan; and that freezing forbids every change, in every reachable plan, cycles
 * included.
 */
class MessagePlanRulesTest {
  @Test
  void aFieldHoldsOneFactOrOneChild() {
    MessagePlan plan = new MessagePlan("t.Root");
    MessagePlan child = new MessagePlan("t.Child");
    plan.addFact(3, Fact.NAMESPACE);
    assertThrows(IllegalStateException.class, () -> plan.addFact(3, Fact.NAMESPACE));
    assertThrows(IllegalStateException.class, () -> plan.addFact(3, Fact.TAGS));
    assertThrows(IllegalStateException.class, () -> plan.addChild(3, child));

    plan.addChild(5, child);
    plan.addChild(5, child); // the same child again is no change
    assertThrows(IllegalStateException.class, () -> plan.addChild(5, new MessagePlan("t.Other")));
    IllegalStateException stringOnChild = assertThrows(IllegalStateException.class,
        () -> plan.addFact(5, Fact.OWNER_ID));
    assertEquals("t.Root field 5 is planned twice", stringOnChild.getMessage());
    assertSame(child, plan.child(5));
    assertNull(plan.fact(5));
  }

  @Test
  void aPresenceFactMaySitWithAChildInEitherOrder() {
    MessagePlan plan = new MessagePlan("t.Root");
    MessagePlan child = new MessagePlan("t.Child");
    plan.addChild(2, child);
    plan.addFact(2, Fact.SCOPED_ACCESS);
    plan.addFact(4, Fact.ACCOUNT_ACCESS);
    plan.addChild(4, child);
    assertEquals(Fact.SCOPED_ACCESS, plan.fact(2));
    assertSame(child, plan.child(2));
    assertEquals(Fact.ACCOUNT_ACCESS, plan.fact(4));
    assertSame(child, plan.child(4));
    assertEquals(List.of(2, 4), plan.childFields());
  }

  @Test
  void fieldsBeyondThePlannedOnesReadAsNothing() {
    MessagePlan plan = new MessagePlan("t.Root");
    assertFalse(plan.hasFacts());
    assertNull(plan.fact(0));
    assertNull(plan.child(70));
    plan.addFact(60, Fact.NAMESPACE);
    assertTrue(plan.hasFacts());
    assertEquals(Fact.NAMESPACE, plan.fact(60));
    assertNull(plan.fact(59));
    assertNull(plan.fact(61));
    plan.removeChild(90);
    assertEquals(List.of(), plan.childFields());
  }

  @Test
  void freezingReachesEveryPlanThroughCycles() {
    MessagePlan root = new MessagePlan("t.Root");
    MessagePlan a = new MessagePlan("t.A");
    MessagePlan b = new MessagePlan("t.B");
    root.addChild(1, a);
    a.addChild(1, b);
    b.addChild(1, a); // a cycle
    b.addFact(2, Fact.NAMESPACE);
    root.freeze();
    root.freeze(); // idempotent
    for (MessagePlan plan : List.of(root, a, b)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> plan.addFact(9, Fact.TAGS));
      assertEquals(plan.typeName + " is frozen", e.getMessage());
      assertThrows(IllegalStateException.class, () -> plan.addChild(8, root));
      assertThrows(IllegalStateException.class, () -> plan.removeChild(1));
    }
    assertSame(a, b.child(1));
  }
}
