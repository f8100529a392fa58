package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long a rejected version is held back: until it changes, or until a given time. */
class ReloadMemoryTest {
  private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
  private final ReloadMemory memory = new ReloadMemory();

  @Test
  void aVerdictForGoodHoldsTheVersionUntilItChanges() {
    memory.rejected("v1", "v1", T, null);
    assertTrue(memory.holds("v1", T.plus(Duration.ofDays(365))));
    assertFalse(memory.holds("v2", T), "another version is checked");
    assertTrue(memory.isRejected("v1"));
  }

  @Test
  void aVerdictThatMayChangeHoldsTheVersionUntilItsTime() {
    memory.rejected("v1|keys a", "v1", T, T.plus(ReloadMemory.RECHECK));
    assertTrue(memory.holds("v1", T.plusSeconds(59)));
    assertFalse(memory.holds("v1", T.plus(ReloadMemory.RECHECK)));
    assertFalse(memory.holds("v1", T.minusSeconds(1)),
        "a clock set back does not stretch the wait by the step");
  }

  @Test
  void aReadFailureHoldsNothingAndClearForgetsAll() {
    memory.rejected("unreadable:gone", null, T, null);
    assertFalse(memory.holds("v1", T));
    assertTrue(memory.isRejected("unreadable:gone"));
    memory.rejected("v1", "v1", T, null);
    memory.clear();
    assertFalse(memory.holds("v1", T));
    assertFalse(memory.isRejected("v1"));
  }
}
