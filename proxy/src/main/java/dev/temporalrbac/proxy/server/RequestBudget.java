package dev.temporalrbac.proxy.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The budget of request bytes the proxy may be buffering at once
 * ({@code limits.request_buffer_bytes}). Before the proxy asks a caller for a request
 * message it reserves the most that message can occupy once inflated
 * ({@code limits.max_request_bytes}); once the message is in, the reservation shrinks to its real
 * size, and it is given back when the upstream has taken the message or the call has ended. A
 * message that finds the budget spent is refused before any of its bytes are read, so a flood of
 * large or slow requests cannot make the proxy run out of memory.
 *
 * <p>Threading: lock-free; one compare-and-set to reserve (retried only under contention), one
 * atomic add to release. Any thread. Callers must release exactly what they reserved, once.
 */
final class RequestBudget {
  private final long capacity;
  private final int perRequest;
  private final AtomicLong reserved = new AtomicLong();

  /**
   * @param capacity bytes that may be reserved at once, at least {@code perRequest}
   * @param perRequest bytes one reservation takes: the largest request message accepted
   */
  RequestBudget(long capacity, int perRequest) {
    if (perRequest <= 0 || capacity < perRequest) {
      throw new IllegalArgumentException("a request buffer budget of " + capacity
          + " bytes cannot hold one request of " + perRequest + " bytes");
    }
    this.capacity = capacity;
    this.perRequest = perRequest;
  }

  /** Reserves room for one request message; false (and nothing reserved) when the budget is spent. */
  boolean tryReserve() {
    long current = reserved.get();
    while (current + perRequest <= capacity) {
      long witness = reserved.compareAndExchange(current, current + perRequest);
      if (witness == current) {
        return true;
      }
      current = witness;
    }
    return false;
  }

  /** Gives back one reservation made by {@link #tryReserve()}. */
  void release() {
    reserved.addAndGet(-perRequest);
  }

  /** Gives back {@code bytes} of a reservation (a part of one, once its message is smaller). */
  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  /** Bytes reserved right now. */
  long reservedBytes() {
    return reserved.get();
  }

  long capacity() {
    return capacity;
  }

  /** Bytes one reservation takes ({@code limits.max_request_bytes}). */
  int perRequest() {
    return perRequest;
  }
}
