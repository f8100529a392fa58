package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.ReloadListener;
import dev.temporalrbac.proxy.server.CallInfo;
import dev.temporalrbac.proxy.server.CallObserver;
import dev.temporalrbac.proxy.server.Rejection;
import io.grpc.Status;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeObserverTest {
  @Test
  void fansOutAndIsolatesFailures() throws Exception {
    List<String> seen = new ArrayList<>();
    CallObserver failing = new CallObserver() {
      @Override
      public void decided(Decision decision, CallInfo call, boolean enforced) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void decisionTime(long nanos) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void callRejected(CallInfo call, Rejection reason) {
        throw new IllegalStateException("boom");
      }
    };
    ReloadListener recording = new ReloadListener() {
      @Override
      public void installed(PolicySnapshot snapshot) {
        seen.add("installed " + snapshot.version());
      }

      @Override
      public void rejected(String source, String error) {
        seen.add("rejected " + error);
      }
    };
    ProxyMetrics metrics =
        new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
    CompositeObserver all = CompositeObserver.of(failing, metrics, recording);

    all.decided(Decisions.allow(), Decisions.START_CALL, true);
    all.decisionTime(1_000);
    all.upstreamClosed(Decisions.START_CALL, Status.Code.OK, 1_000);
    all.callRejected(Decisions.START_CALL, Rejection.FIRST_MESSAGE_TIMEOUT);
    PolicySnapshot policy = PolicyMetricsTest.policy("developer");
    all.installed(policy);
    all.rejected("p.yaml", "bad");

    assertEquals(1.0, metrics.registry().get("temporal.rbac.decisions").counter().count());
    assertEquals(1, metrics.registry().get("temporal.rbac.upstream.duration").timer().count());
    assertEquals(1.0, metrics.registry().get("temporal.rbac.rejected.calls")
        .tag("reason", "first_message_timeout").counter().count());
    assertEquals(List.of("installed " + policy.version(), "rejected bad"), seen);
    assertEquals(1.0, metrics.registry().get("temporal.rbac.policy.reloads")
        .tag("result", "failure").counter().count());
    assertThrows(IllegalArgumentException.class, () -> CompositeObserver.of("neither"));
  }

  @Test
  void fansOutShadowDecisionsAndIsolatesFailures() {
    CallObserver failing = new CallObserver() {
      @Override
      public void decided(Decision decision, CallInfo call, boolean enforced) {}

      @Override
      public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
          boolean enforced) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void shadowFailed(CallInfo call) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void shadowUndecided(Decision decision, CallInfo call) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

      @Override
      public void decisionTime(long nanos) {}
    };
    List<String> seen = new ArrayList<>();
    CallObserver plain = new CallObserver() { // knows nothing of shadow policies
      @Override
      public void decided(Decision decision, CallInfo call, boolean enforced) {
        seen.add(decision.reason().label());
      }

      @Override
      public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

      @Override
      public void decisionTime(long nanos) {}
    };
    ProxyMetrics metrics =
        new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
    metrics.countShadowDecisions();
    CompositeObserver all = CompositeObserver.of(failing, metrics, plain);

    all.decidedWithShadow(Decisions.allow(), Decisions.allow(), Decisions.START_CALL, true);
    all.shadowFailed(Decisions.START_CALL);
    all.shadowUndecided(Decisions.deny(Reason.UNKNOWN_KEY, "unknown key"), Decisions.START_CALL);

    assertEquals(1.0, metrics.registry().get("temporal.rbac.decisions")
        .tag("decision", "allow").counter().count());
    assertEquals(1.0, metrics.registry().get("temporal.rbac.decisions")
        .tag("decision", "deny").counter().count());
    assertEquals(1.0, metrics.registry().get("temporal.rbac.shadow.decisions")
        .tag("result", "undecided").counter().count());
    assertEquals(1.0, metrics.registry().get("temporal.rbac.shadow.decisions")
        .tag("result", "same").counter().count());
    assertEquals(1.0, metrics.registry().get("temporal.rbac.shadow.decisions")
        .tag("result", "error").counter().count());
    assertEquals(List.of("allowed", "unknown_key"), seen,
        "the enforced decisions, by the default methods");
  }
}
