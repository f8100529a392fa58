package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.ReloadListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of the policies loaded, told by the policy watchers ({@link ReloadListener}):
 *
 * <ul>
 *   <li>{@code temporal_rbac_policy_reloads_total{result}} ({@code success}, {@code failure};
 *       the policy loaded at start is not a reload and is not counted)
 *   <li>{@code temporal_rbac_policy_info{version}} = 1 for the version in force only
 *   <li>{@code temporal_rbac_policy_last_success_timestamp_seconds}: when the policy source was
 *       last read successfully with its content in force (installed, or confirmed unchanged);
 *       0 before the first. Alert on its age: a failing source keeps the last good version
 *   <li>{@code temporal_rbac_shadow_policy_info{version}} = 1 for the shadow policy's version,
 *       only once a shadow policy is installed ({@link #shadowInstalled})
 *   <li>{@code cache_*} metrics with {@code cache="policy_rights"}, from the rights cache
 *       statistics of the snapshot in force ({@link PolicySnapshot#rightsCacheStats}): a miss is
 *       one principal's rights computed; a hit is any other look-up, an API key's remembered
 *       owner rights included
 * </ul>
 *
 * <p>Threading: every method may be called from any thread (the enforced and the shadow
 * policy's watchers run apart); all but {@link #confirmed} are serialized on this object, which
 * only a reload contends for, never a call.
 */
final class PolicyMetrics implements ReloadListener {
  static final String RIGHTS_CACHE = "policy_rights";

  private final MeterRegistry registry;
  private final Counter reloadSuccess;
  private final Counter reloadFailure;
  /** Epoch milliseconds of the last {@link #confirmed}; 0 before the first. */
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private Gauge policyInfo;
  private Gauge shadowPolicyInfo;
  private boolean initialInstalled;

  /** Registers the reload counters and the last-success gauge on {@code registry}. */
  PolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
    reloadSuccess = reloads("success");
    reloadFailure = reloads("failure");
    Gauge.builder("temporal.rbac.policy.last.success.timestamp",
            lastSuccessMillis, millis -> millis.get() / 1000.0)
        .description("Unix time the policy source was last read with its content in force")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Points {@code temporal_rbac_policy_info} and the cache metrics at {@code snapshot}, removing
   * the previous snapshot's series; counts a successful reload unless this is the first policy.
   */
  @Override
  public synchronized void installed(PolicySnapshot snapshot) {
    if (initialInstalled) {
      reloadSuccess.increment();
    }
    initialInstalled = true;
    policyInfo = info(policyInfo, "temporal.rbac.policy.info",
        "1 for the version (content hash) of the policy in force", snapshot);
    List<Meter> stale = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (RIGHTS_CACHE.equals(meter.getId().getTag("cache"))) {
        stale.add(meter);
      }
    }
    stale.forEach(registry::remove);
    new RightsCacheMetrics(snapshot, RIGHTS_CACHE, Tags.empty()).bindTo(registry);
  }

  @Override
  public synchronized void rejected(String source, String error) {
    reloadFailure.increment();
  }

  @Override
  public void confirmed(Instant at) {
    lastSuccessMillis.set(at.toEpochMilli());
  }

  /**
   * Points {@code temporal_rbac_shadow_policy_info} at the shadow policy {@code snapshot} (the
   * wiring calls it from the shadow policy's watcher); the previous version's series is removed.
   */
  synchronized void shadowInstalled(PolicySnapshot snapshot) {
    shadowPolicyInfo = info(shadowPolicyInfo, "temporal.rbac.shadow.policy.info",
        "1 for the version (content hash) of the shadow policy", snapshot);
  }

  /** A gauge of 1 named {@code name} for {@code snapshot}'s version, replacing {@code old}. */
  private Gauge info(Gauge old, String name, String description, PolicySnapshot snapshot) {
    if (old != null) {
      registry.remove(old);
    }
    return Gauge.builder(name, () -> 1)
        .description(description)
        .tag("version", snapshot.version())
        .register(registry);
  }

  private Counter reloads(String result) {
    return Counter.builder("temporal.rbac.policy.reloads")
        .description("Policy reload attempts of a changed source, by result")
        .tag("result", result)
        .register(registry);
  }
}
