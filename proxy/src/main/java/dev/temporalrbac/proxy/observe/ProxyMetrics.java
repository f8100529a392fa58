package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;
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
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 *       decisions by how the caller was identified ({@link IdentifiedDecisions})
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
 *   <li>the policy metrics ({@link PolicyMetrics}: reloads, {@code temporal_rbac_policy_info},
 *       the last success's time, {@code temporal_rbac_shadow_policy_info}, the rights cache)
 *   <li>{@code temporal_rbac_shadow_decisions_total{result}} ({@link ShadowMetrics}), only once
 *       {@link #countShadowDecisions()} is called (a shadow policy is configured)
 *   <li>JVM and process metrics ({@link JvmMetrics}), unless disabled in the constructor
 * </ul>
 *
 * <p>Threading: the {@link CallObserver} methods run on transport threads and take no lock of
 * their own once a label combination has been seen: they read a cached meter from an array slot
 * ({@link MethodSlots}: two concurrent-map reads, service then method) and bump it (the first
 * call of a combination registers the meter). The
 * {@link ReloadListener} methods may be called from any thread (see {@link PolicyMetrics}).
 */
public final class ProxyMetrics implements CallObserver, ReloadListener, AutoCloseable {
  private static final Reason[] REASONS = Reason.values();
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final Status.Code[] CODES = Status.Code.values();
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
  private final IdentifiedDecisions identified;
  private final Counter[] rejections = new Counter[Rejection.values().length];
  private final Timer decisionTimer;
  private final PolicyMetrics policies;
  private final ShadowMetrics shadows;
  /** Null when the constructor left them out. */
  private final JvmMetrics jvm;

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
    identified = new IdentifiedDecisions(registry);
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
    policies = new PolicyMetrics(registry);
    shadows = new ShadowMetrics(registry);
    jvm = jvmMetrics ? new JvmMetrics(registry) : null;
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
  public void countShadowDecisions() {
    shadows.enable();
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
    identified.count(verdict, decision.identifiedBy());
    Counter authFailure = authFailures[reason.ordinal()];
    if (authFailure != null) {
      authFailure.increment();
    }
  }

  @Override
  public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
      boolean enforced) {
    decided(decision, call, enforced);
    shadows.count(ShadowResult.of(decision, shadow));
  }

  /** The enforced refusal as {@link #decided} counts it, and {@code result="undecided"}. */
  @Override
  public void shadowUndecided(Decision decision, CallInfo call) {
    decided(decision, call, true);
    shadows.count(ShadowResult.UNDECIDED);
  }

  @Override
  public void shadowFailed(CallInfo call) {
    shadows.failed();
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

  /** See {@link PolicyMetrics#installed}. */
  @Override
  public void installed(PolicySnapshot snapshot) {
    policies.installed(snapshot);
  }

  @Override
  public void rejected(String source, String error) {
    policies.rejected(source, error);
  }

  @Override
  public void confirmed(Instant at) {
    policies.confirmed(at);
  }

  /**
   * Points {@code temporal_rbac_shadow_policy_info} at the shadow policy {@code snapshot} (the
   * wiring calls it from the shadow policy's watcher); the previous version's series is removed.
   */
  public void shadowInstalled(PolicySnapshot snapshot) {
    policies.shadowInstalled(snapshot);
  }

  /** Stops the GC listener; the registry stays readable. */
  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
    }
  }

  private static Duration[] millis(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
    }
    return out;
  }
}
