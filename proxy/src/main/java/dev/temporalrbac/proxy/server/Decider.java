package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.List;

/**
 * Decides one call; in production {@link dev.temporalrbac.policy.eval.Authorizer#decide}. An
 * interface so the forwarding path can be tested on methods outside Temporal's catalog (Temporal
 * has no client- or bidi-streaming method). Must be thread-safe and must not block.
 */
@FunctionalInterface
public interface Decider {
  /** Decides a call; {@code headerNamespaces} holds every {@code temporal-namespace} value sent. */
  Decision decide(PolicySnapshot policy, Caller caller, String fullMethod, byte[] body,
      List<String> headerNamespaces);
}
