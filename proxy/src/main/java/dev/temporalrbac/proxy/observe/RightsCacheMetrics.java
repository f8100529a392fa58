package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.model.PolicySnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's {@code cache_*} meters for a snapshot's rights cache, read from
 * {@link PolicySnapshot#rightsCacheStats()} at each scrape: the policy exposes statistics, not its
 * cache, and they count API keys' remembered owner rights as hits. Holds the snapshot weakly, like
 * every {@link CacheMeterBinder}.
 */
final class RightsCacheMetrics extends CacheMeterBinder<PolicySnapshot> {
  RightsCacheMetrics(PolicySnapshot snapshot, String cacheName, Iterable<Tag> tags) {
    super(snapshot, cacheName, tags);
  }

  @Override
  protected Long size() {
    PolicySnapshot snapshot = getCache();
    return snapshot == null ? null : snapshot.rightsCacheStats().size();
  }

  @Override
  protected long hitCount() {
    PolicySnapshot snapshot = getCache();
    return snapshot == null ? 0 : snapshot.rightsCacheStats().hits();
  }

  @Override
  protected Long missCount() {
    PolicySnapshot snapshot = getCache();
    return snapshot == null ? null : snapshot.rightsCacheStats().misses();
  }

  @Override
  protected Long evictionCount() {
    PolicySnapshot snapshot = getCache();
    return snapshot == null ? null : snapshot.rightsCacheStats().evictions();
  }

  /** Entries ever stored: nothing is replaced or evicted, so the size plus the evictions. */
  @Override
  protected long putCount() {
    PolicySnapshot snapshot = getCache();
    if (snapshot == null) {
      return 0;
    }
    var stats = snapshot.rightsCacheStats();
    return stats.size() + stats.evictions();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {}
}
