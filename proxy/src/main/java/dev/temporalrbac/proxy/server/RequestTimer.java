package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.util.HashedWheelTimer;
import io.grpc.netty.shaded.io.netty.util.Timeout;
import io.grpc.netty.shaded.io.netty.util.TimerTask;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one timer that ends calls whose request is late ({@code limits.first_message_timeout}): a
 * hashed wheel with a 100 ms tick on one daemon thread, shared by every proxy in the JVM. Arming
 * and cancelling are O(1) and lock-free, which suits one short-lived timeout per call that is
 * almost always cancelled; the coarse tick does not matter for a limit measured in seconds.
 *
 * <p>Threading: {@link #schedule} from any thread; tasks run on the timer's thread and must hand
 * their work to the call's own serializer.
 */
final class RequestTimer {
  private RequestTimer() {}

  /** Created on first use, so a JVM that never proxies a call starts no thread. */
  private static final class Wheel {
    static final HashedWheelTimer INSTANCE = new HashedWheelTimer(
        new DefaultThreadFactory("temporal-rbac-request-timer", true),
        100, TimeUnit.MILLISECONDS, 512);
  }

  /** Runs {@code task} after {@code nanos}, unless the returned timeout is cancelled first. */
  static Timeout schedule(TimerTask task, long nanos) {
    return Wheel.INSTANCE.newTimeout(task, nanos, TimeUnit.NANOSECONDS);
  }
}
