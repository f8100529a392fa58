package dev.temporalrbac.proxy.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tasks of one proxied call one at a time, in submission order, without a lock: the
 * downstream and upstream halves of a call are driven by different transport threads, and
 * neither {@code ServerCall} nor {@code ClientCall} is thread-safe. A task submitted while none is
 * running runs at once on the submitting thread (no thread hop on the common path); one submitted
 * while another runs is queued and run by the thread already draining.
 */
final class CallSerializer implements Executor {
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (pending.getAndIncrement() != 0) {
      return;
    }
    do {
      Runnable next = tasks.poll();
      try {
        next.run();
      } catch (RuntimeException e) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, e);
      }
    } while (pending.decrementAndGet() != 0);
  }
}
