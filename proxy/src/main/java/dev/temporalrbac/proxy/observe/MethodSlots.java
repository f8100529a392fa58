package dev.temporalrbac.proxy.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Pre-made meter slots per (service, method) label pair: a two-level map, service then method,
 * so two services' methods of the same short name (CloudService and OperatorService
 * {@code DeleteNamespace}) never share slots, and a lookup builds no composite key. Each pair
 * gets a fixed-size array, one slot per combination of the other labels, filled on first use.
 *
 * <p>Threading: any thread; a lookup of a pair seen before is two concurrent-map reads and takes
 * no lock. Both label sets are bounded (catalog names or {@code other}), so the maps stay small.
 *
 * @param <M> the meter type
 */
final class MethodSlots<M> {
  private final int width;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<M>>>
      byService = new ConcurrentHashMap<>();

  /** @param width slots per (service, method) pair */
  MethodSlots(int width) {
    this.width = width;
  }

  /** The slots of a (service, method) pair, created empty on first use. */
  AtomicReferenceArray<M> of(String service, String method) {
    ConcurrentHashMap<String, AtomicReferenceArray<M>> methods = byService.get(service);
    if (methods == null) {
      methods = byService.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
    }
    AtomicReferenceArray<M> slots = methods.get(method);
    if (slots == null) {
      slots = methods.computeIfAbsent(method, m -> new AtomicReferenceArray<>(width));
    }
    return slots;
  }
}
