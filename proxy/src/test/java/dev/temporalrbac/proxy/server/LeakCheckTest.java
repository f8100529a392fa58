package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself: it sees a deliberate leak, and a released buffer is no leak. */
class LeakCheckTest {
  @Test
  void reportsABufferCollectedWithoutRelease() {
    LeakCheck.requireDetection();
    LeakCheck.sweep();
    leakOne();
    List<String> leaks = LeakCheck.sweep();
    assertEquals(1, leaks.size(), () -> "reports: " + leaks);
    assertTrue(leaks.get(0).startsWith("LEAK of ByteBuf"), leaks.get(0));
  }

  @Test
  void aReleasedBufferIsNoLeak() {
    LeakCheck.requireDetection();
    LeakCheck.sweep();
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buffer.writeLong(42);
    buffer.release();
    assertEquals(List.of(), LeakCheck.sweep());
  }

  /** Allocates a tracked buffer and drops it unreleased (in its own frame, so it is unreachable). */
  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42);
  }
}
