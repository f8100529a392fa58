package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.StatusCode;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.ReloadListener;
import dev.temporalrbac.proxy.server.CallInfo;
import dev.temporalrbac.proxy.server.CallObserver;
import dev.temporalrbac.proxy.server.Rejection;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The proxy's Prometheus metrics. Labels are bounded: {@code service} and {@code method} come
 * from the catalog ({@code other} for anything else), {@code decision} is a {@link Verdict},
 * {@code reason} a {@link Reason} label, {@code code} a gRPC status; never a principal, key or
 * namespace. Every per-method series carries both {@code service} and {@code method}: short
 * method names repeat across services (CloudService and OperatorService both have {@code
 * DeleteNamespace}), so the method alone would merge two methods into one series.
 *
 * <ul>
 *   <li>{@code temporal_rbac_decisions_total{service,method,decision,reason}}
 *   <li>{@code temporal_rbac_identified_decisions_total{identified_by,decision}}: the same
 *       decisions by how the caller was identified ({@code api_key}, {@code jwt}, {@code mtls},
 *       {@code principal}, or {@code none} when no credential was read); a counter of its own,
 *       all 15 series registered up front, rather than one more label multiplying every
 *       method's series
 *   <li>{@code temporal_rbac_authentication_failures_total{reason}} (UNAUTHENTICATED reasons,
 *       dry run included: API keys, tokens ({@code token_*}) and certificates
 *       ({@code certificate_*}) alike)
 *   <li>{@code temporal_rbac_jwks_age_seconds}: time since the JWKS was last loaded, when JWTs
 *       are accepted (it grows while the endpoint fails and the last keys are kept)
 *   <li>{@code temporal_rbac_rejected_calls_total{reason}}: calls the proxy ended itself for
 *       their size, shape or pace, by {@link Rejection} label ({@code request_too_large},
 *       {@code request_budget}, {@code too_many_requests}, {@code missing_request},
 *       {@code first_message_timeout}, {@code response_too_large})
 *   <li>{@code temporal_rbac_decision_duration_seconds} (histogram)
 *   <li>{@code temporal_rbac_upstream_duration_seconds{service,method,code}} (histogram)
 *   <li>{@code temporal_rbac_policy_reloads_total{result}} ({@code success}, {@code failure};
 *       the policy loaded at start is not a reload and is not counted)
 *   <li>{@code temporal_rbac_policy_info{version}} = 1 for the version in force only
 *   <li>{@code temporal_rbac_shadow_decisions_total{result}}, only once
 *       {@link #countShadowDecisions()} is called (a shadow policy is configured): each call
 *       decided under both policies, by {@link ShadowResult} label ({@code same},
 *       {@code would_allow}, {@code would_deny}), and {@code error} for a shadow decision that
 *       threw (the call went on under the enforced one)
 *   <li>{@code temporal_rbac_policy_last_success_timestamp_seconds}: when the policy source was
 *       last read successfully with its content in force (installed, or confirmed unchanged);
 *       0 before the first. Alert on its age: a failing source keeps the last good version
 *   <li>{@code temporal_rbac_shadow_policy_info{version}} = 1 for the shadow policy's version,
 *       only once a shadow policy is installed ({@link #shadowInstalled})
 *   <li>{@code cache_*} metrics with {@code cache="policy_rights"}, from the rights cache
 *       statistics of the snapshot in force ({@link PolicySnapshot#rightsCacheStats}): a miss is
 *       one principal's rights computed; a hit is any other look-up, an API key's remembered
 *       owner rights included
 *   <li>JVM and process metrics, unless disabled in the constructor
 * </ul>
 *
 * <p>Threading: the {@link CallObserver} methods run on transport threads and take no lock of
 * their own once a label combination has been seen: they read a cached meter from an array slot
 * ({@link MethodSlots}: two concurrent-map reads, service then method) and bump it (the first
 * call of a combination registers the meter). The
 * {@link ReloadListener} methods may be called from any thread; they are serialized internally.
 */
public final class ProxyMetrics implements CallObserver, ReloadListener, AutoCloseable {
  static final String RIGHTS_CACHE = "policy_rights";
  private static final Set<String> CACHES = Set.of(RIGHTS_CACHE);
  private static final Reason[] REASONS = Reason.values();
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final Status.Code[] CODES = Status.Code.values();
  /** {@code identified_by} labels: the {@link IdentifiedBy} labels, then {@code none}. */
  private static final String[] IDENTIFIED_BY = identifiedByLabels();
  private static final Duration[] DECISION_BUCKETS = millis(
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100);
  private static final Duration[] UPSTREAM_BUCKETS = millis(
      1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000);

  private final PrometheusMeterRegistry registry;
  /** One slot per (verdict, reason) for each (service, method). */
  private final MethodSlots<Counter> decisions =
      new MethodSlots<>(VERDICTS.length * REASONS.length);
  /** One slot per status code for each (service, method). */
  private final MethodSlots<Timer> upstream = new MethodSlots<>(CODES.length);
  private final Counter[] authFailures = new Counter[REASONS.length];
  /** One per (verdict, identified_by). */
  private final Counter[] identified = new Counter[VERDICTS.length * IDENTIFIED_BY.length];
  private final Counter[] rejections = new Counter[Rejection.values().length];
  private final Timer decisionTimer;
  private final Counter reloadSuccess;
  private final Counter reloadFailure;
  private final JvmGcMetrics gcMetrics;
  private Gauge policyInfo;
  /** By {@link ShadowResult} ordinal, then the error count; null until shadows are counted. */
  private volatile Counter[] shadowResults;
  private Gauge shadowPolicyInfo;
  private boolean initialInstalled;
  /** Epoch milliseconds of the last {@link #confirmed}; 0 before the first. */
  private final java.util.concurrent.atomic.AtomicLong lastSuccessMillis =
      new java.util.concurrent.atomic.AtomicLong();

  /** A new Prometheus registry with the JVM and process metrics bound. */
  public ProxyMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
  }

  /**
   * Registers the proxy's meters on {@code registry}.
   *
   * @param jvmMetrics whether to bind the JVM and process metrics too (tests may leave them out)
   */
  public ProxyMetrics(PrometheusMeterRegistry registry, boolean jvmMetrics) {
    this.registry = registry;
    for (Reason reason : REASONS) {
      if (reason.status() == StatusCode.UNAUTHENTICATED) {
        authFailures[reason.ordinal()] = Counter.builder("temporal.rbac.authentication.failures")
            .description("Calls whose caller could not be authenticated")
            .tag("reason", reason.label())
            .register(registry);
      }
    }
    for (Verdict verdict : VERDICTS) {
      for (int by = 0; by < IDENTIFIED_BY.length; by++) {
        identified[verdict.ordinal() * IDENTIFIED_BY.length + by] =
            Counter.builder("temporal.rbac.identified.decisions")
                .description("Calls decided, by how the caller was identified")
                .tags("identified_by", IDENTIFIED_BY[by], "decision", verdict.label())
                .register(registry);
      }
    }
    for (Rejection rejection : Rejection.values()) {
      rejections[rejection.ordinal()] = Counter.builder("temporal.rbac.rejected.calls")
          .description("Calls the proxy ended itself for their size, shape or pace")
          .tag("reason", rejection.label())
          .register(registry);
    }
    decisionTimer = Timer.builder("temporal.rbac.decision.duration")
        .description("Time to decide a call, from first request message to verdict")
        .serviceLevelObjectives(DECISION_BUCKETS)
        .register(registry);
    reloadSuccess = reloads("success");
    reloadFailure = reloads("failure");
    Gauge.builder("temporal.rbac.policy.last.success.timestamp",
            lastSuccessMillis, millis -> millis.get() / 1000.0)
        .description("Unix time the policy source was last read with its content in force")
        .baseUnit("seconds")
        .register(registry);
    if (jvmMetrics) {
      new JvmMemoryMetrics().bindTo(registry);
      gcMetrics = new JvmGcMetrics();
      gcMetrics.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
    } else {
      gcMetrics = null;
    }
  }

  /**
   * Exports {@code temporal_rbac_upstream_ready} (1 when the upstream is connected and answered
   * the last readiness probe, else 0), read from {@code ready} at each scrape; {@code ready} must
   * not block.
   */
  public void upstreamReadiness(java.util.function.BooleanSupplier ready) {
    Gauge.builder("temporal.rbac.upstream.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while the upstream is connected and answers readiness probes")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Exports {@code temporal_rbac_jwks_age_seconds}: seconds since {@code lastLoaded} (the last
   * successful JWKS load), read at each scrape; {@code lastLoaded} must not block.
   */
  public void jwksAge(Supplier<Instant> lastLoaded, Clock clock) {
    Gauge.builder("temporal.rbac.jwks.age",
            () -> Duration.between(lastLoaded.get(), clock.instant()).toMillis() / 1000.0)
        .description("Seconds since the JWKS was last loaded successfully")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Registers {@code temporal_rbac_shadow_decisions_total} (every {@code result} at once) and
   * counts shadow decisions from now on; call once a shadow policy is configured, before calls
   * arrive. Idempotent.
   */
  public synchronized void countShadowDecisions() {
    if (shadowResults != null) {
      return;
    }
    ShadowResult[] results = ShadowResult.values();
    Counter[] counters = new Counter[results.length + 1];
    for (ShadowResult result : results) {
      counters[result.ordinal()] = shadowCounter(result.label());
    }
    counters[results.length] = shadowCounter("error");
    shadowResults = counters;
  }

  private Counter shadowCounter(String result) {
    return Counter.builder("temporal.rbac.shadow.decisions")
        .description("Calls decided under the shadow policy too, by how its decision compares")
        .tag("result", result)
        .register(registry);
  }

  /** The registry, for other binders and for tests. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter. Any thread. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void decided(Decision decision, CallInfo call, boolean enforced) {
    Verdict verdict = Verdict.of(decision, enforced);
    Reason reason = decision.reason();
    AtomicReferenceArray<Counter> slots = decisions.of(call.service(), call.method());
    int slot = verdict.ordinal() * REASONS.length + reason.ordinal();
    Counter counter = slots.get(slot);
    if (counter == null) {
      // racing registrations are harmless: the registry returns the meter already registered
      counter = Counter.builder("temporal.rbac.decisions")
          .description("Calls decided, by verdict and reason")
          .tags("service", call.service(), "method", call.method(),
              "decision", verdict.label(), "reason", reason.label())
          .register(registry);
      slots.set(slot, counter);
    }
    counter.increment();
    identified[verdict.ordinal() * IDENTIFIED_BY.length
        + identifiedBy(decision.identifiedBy())].increment();
    Counter authFailure = authFailures[reason.ordinal()];
    if (authFailure != null) {
      authFailure.increment();
    }
  }

  @Override
  public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
      boolean enforced) {
    decided(decision, call, enforced);
    Counter[] counters = shadowResults;
    if (counters != null) {
      counters[ShadowResult.of(decision, shadow).ordinal()].increment();
    }
  }

  @Override
  public void shadowFailed(CallInfo call) {
    Counter[] counters = shadowResults;
    if (counters != null) {
      counters[counters.length - 1].increment();
    }
  }

  @Override
  public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {
    AtomicReferenceArray<Timer> slots = upstream.of(call.service(), call.method());
    Timer timer = slots.get(code.ordinal());
    if (timer == null) {
      timer = Timer.builder("temporal.rbac.upstream.duration")
          .description("Duration of forwarded calls upstream, by final status")
          .tags("service", call.service(), "method", call.method(), "code", code.name())
          .serviceLevelObjectives(UPSTREAM_BUCKETS)
          .register(registry);
      slots.set(code.ordinal(), timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void decisionTime(long nanos) {
    decisionTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void callRejected(CallInfo call, Rejection reason) {
    rejections[reason.ordinal()].increment();
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
    if (policyInfo != null) {
      registry.remove(policyInfo);
    }
    policyInfo = Gauge.builder("temporal.rbac.policy.info", () -> 1)
        .description("1 for the version (content hash) of the policy in force")
        .tag("version", snapshot.version())
        .register(registry);
    List<Meter> stale = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      String cache = meter.getId().getTag("cache");
      if (cache != null && CACHES.contains(cache)) {
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
  public synchronized void shadowInstalled(PolicySnapshot snapshot) {
    if (shadowPolicyInfo != null) {
      registry.remove(shadowPolicyInfo);
    }
    shadowPolicyInfo = Gauge.builder("temporal.rbac.shadow.policy.info", () -> 1)
        .description("1 for the version (content hash) of the shadow policy")
        .tag("version", snapshot.version())
        .register(registry);
  }

  /** Stops the GC listener; the registry stays readable. */
  @Override
  public void close() {
    if (gcMetrics != null) {
      gcMetrics.close();
    }
  }

  private Counter reloads(String result) {
    return Counter.builder("temporal.rbac.policy.reloads")
        .description("Policy reload attempts of a changed file, by result")
        .tag("result", result)
        .register(registry);
  }

  /**
   * The slot of a decision's {@code identified_by}: at most four comparisons of short strings,
   * instead of a map lookup per call; anything unknown (an empty label) is {@code none}.
   */
  private static int identifiedBy(String label) {
    for (int i = 0; i < IDENTIFIED_BY.length - 1; i++) {
      if (IDENTIFIED_BY[i].equals(label)) {
        return i;
      }
    }
    return IDENTIFIED_BY.length - 1;
  }

  private static String[] identifiedByLabels() {
    IdentifiedBy[] kinds = IdentifiedBy.values();
    String[] labels = new String[kinds.length + 1];
    for (IdentifiedBy kind : kinds) {
      labels[kind.ordinal()] = kind.label();
    }
    labels[kinds.length] = "none";
    return labels;
  }

  private static Duration[] millis(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
    }
    return out;
  }
}
