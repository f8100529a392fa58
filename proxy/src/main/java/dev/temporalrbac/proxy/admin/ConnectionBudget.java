package dev.temporalrbac.proxy.admin;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Keeps the admin port's connections within {@link AdminLimits#maxConnections()} without letting
 * the clients that fill it lock others out: when a new connection would pass the limit, the one
 * that has waited longest for its request is closed (clients that open connections and send
 * nothing lose their place to anyone who comes after). Connections being answered are never
 * closed; if every one is, the new connection is refused.
 *
 * <p>Threading: confined to the admin port's single event-loop thread; no locks.
 */
final class ConnectionBudget {
  private final int max;
  /** Connections waiting for (the rest of) a request, eldest first. */
  private final LinkedHashSet<Channel> waiting = new LinkedHashSet<>();
  private int open;

  ConnectionBudget(int max) {
    this.max = max;
  }

  /**
   * A connection opened; makes room for it if needed.
   *
   * @return false when there is no room: every connection held is being answered
   */
  boolean opened() {
    if (open >= max) {
      Iterator<Channel> eldest = waiting.iterator();
      if (!eldest.hasNext()) {
        return false;
      }
      Channel evicted = eldest.next();
      eldest.remove();
      evicted.close();
    }
    open++;
    return true;
  }

  /** The connection now waits for a request. */
  void waiting(Channel channel) {
    waiting.add(channel);
  }

  /** The connection has a whole request and is being answered. */
  void busy(Channel channel) {
    waiting.remove(channel);
  }

  /** The connection closed (only for one {@link #opened()} accepted). */
  void closed(Channel channel) {
    waiting.remove(channel);
    open--;
  }
}
