package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proxy.server.CallInfo;
import java.util.List;

/** Decisions and calls built by hand for observer tests. */
final class Decisions {
  static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  static final CallInfo START_CALL =
      new CallInfo("workflow", "StartWorkflowExecution", START, "/10.0.0.7:51234", "req-1");

  private Decisions() {}

  static Decision allow() {
    return decision(Reason.ALLOWED, "allowed: StartWorkflowExecution needs namespace:write");
  }

  static Decision deny(Reason reason, String message) {
    return decision(reason, message);
  }

  static Decision decision(Reason reason, String message) {
    return identified(reason, message, "api_key", "k1");
  }

  /** A decision for a caller identified by {@code identifiedBy} ({@code jwt}, {@code mtls}...). */
  static Decision identified(Reason reason, String message, String identifiedBy,
      String credentialId) {
    return new Decision(reason == Reason.ALLOWED ? Outcome.ALLOW : Outcome.DENY, reason, message,
        START, "dev@example.com", "user", "developer", identifiedBy, credentialId,
        List.of("orders", "payments"), "namespace:write", "v-123", false, null);
  }
}
