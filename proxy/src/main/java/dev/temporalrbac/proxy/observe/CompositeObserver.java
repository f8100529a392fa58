package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.ReloadListener;
import dev.temporalrbac.proxy.server.CallInfo;
import dev.temporalrbac.proxy.server.CallObserver;
import dev.temporalrbac.proxy.server.Rejection;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells several {@link CallObserver}s and {@link ReloadListener}s about each event, in the order
 * given. A delegate that throws does not stop the others nor reach the caller (the call path must
 * not fail because of an observer): the first failure of each delegate is logged as a warning,
 * later ones at FINE. Immutable; every method may be called from any thread and adds no locking
 * of its own.
 */
public final class CompositeObserver implements CallObserver, ReloadListener {
  private static final Logger LOG = Logger.getLogger(CompositeObserver.class.getName());

  private final CallObserver[] observers;
  private final ReloadListener[] listeners;
  private final AtomicBoolean[] observerFailed;
  private final AtomicBoolean[] listenerFailed;

  public CompositeObserver(List<? extends CallObserver> observers,
      List<? extends ReloadListener> listeners) {
    this.observers = observers.toArray(new CallObserver[0]);
    this.listeners = listeners.toArray(new ReloadListener[0]);
    this.observerFailed = flags(this.observers.length);
    this.listenerFailed = flags(this.listeners.length);
  }

  /**
   * Each part is added as an observer if it is a {@link CallObserver} and as a listener if it is
   * a {@link ReloadListener} (both, for {@link ProxyMetrics}).
   *
   * @throws IllegalArgumentException for a part that is neither
   */
  public static CompositeObserver of(Object... parts) {
    List<CallObserver> observers = new ArrayList<>();
    List<ReloadListener> listeners = new ArrayList<>();
    for (Object part : parts) {
      boolean used = false;
      if (part instanceof CallObserver observer) {
        observers.add(observer);
        used = true;
      }
      if (part instanceof ReloadListener listener) {
        listeners.add(listener);
        used = true;
      }
      if (!used) {
        throw new IllegalArgumentException(part + " is neither a CallObserver nor a ReloadListener");
      }
    }
    return new CompositeObserver(observers, listeners);
  }

  @Override
  public void decided(Decision decision, CallInfo call, boolean enforced) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].decided(decision, call, enforced);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
      boolean enforced) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].decidedWithShadow(decision, shadow, call, enforced);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void shadowUndecided(Decision decision, CallInfo call) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].shadowUndecided(decision, call);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void shadowFailed(CallInfo call) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].shadowFailed(call);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].upstreamClosed(call, code, nanos);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void decisionTime(long nanos) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].decisionTime(nanos);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void callRejected(CallInfo call, Rejection reason) {
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].callRejected(call, reason);
      } catch (RuntimeException e) {
        failed(observers[i], observerFailed[i], e);
      }
    }
  }

  @Override
  public void installed(PolicySnapshot snapshot) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].installed(snapshot);
      } catch (RuntimeException e) {
        failed(listeners[i], listenerFailed[i], e);
      }
    }
  }

  @Override
  public void rejected(String source, String error) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].rejected(source, error);
      } catch (RuntimeException e) {
        failed(listeners[i], listenerFailed[i], e);
      }
    }
  }

  @Override
  public void confirmed(java.time.Instant at) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].confirmed(at);
      } catch (RuntimeException e) {
        failed(listeners[i], listenerFailed[i], e);
      }
    }
  }

  private static void failed(Object delegate, AtomicBoolean seen, RuntimeException e) {
    Level level = seen.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
    LOG.log(level, e, () -> delegate.getClass().getName() + " failed; the call goes on");
  }

  private static AtomicBoolean[] flags(int count) {
    AtomicBoolean[] flags = new AtomicBoolean[count];
    for (int i = 0; i < count; i++) {
      flags[i] = new AtomicBoolean();
    }
    return flags;
  }
}
