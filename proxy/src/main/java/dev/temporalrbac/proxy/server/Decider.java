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

  /**
   * The denial of a call whose caller does not authenticate, asked at its headers so a caller that
   * will be refused holds no request budget and is authenticated once; null when it
   * authenticates. The default refuses nothing here: {@link #decide} still decides.
   */
  default Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String fullMethod) {
    return null;
  }

  /**
   * Whether {@code refusal}, this decider's refusal of {@code caller} under one policy, holds
   * under {@code other} too without deciding again (it concerns the credential alone, e.g. a token
   * that fails verification), so a shadow policy need not authenticate the caller a second time.
   * The default knows of none: the call is decided under {@code other} as well.
   */
  default boolean refusalHoldsUnder(PolicySnapshot other, Caller caller, Decision refusal) {
    return false;
  }

  /** The production decider: {@code authorizer}, authentication at headers included. */
  static Decider of(dev.temporalrbac.policy.eval.Authorizer authorizer) {
    return new Decider() {
      @Override
      public Decision decide(PolicySnapshot policy, Caller caller, String fullMethod,
          byte[] body, List<String> headerNamespaces) {
        return authorizer.decideWithHeaders(policy, caller, fullMethod, body, headerNamespaces);
      }

      @Override
      public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String fullMethod) {
        return authorizer.refusalAtHeaders(policy, caller, fullMethod);
      }

      @Override
      public boolean refusalHoldsUnder(PolicySnapshot other, Caller caller, Decision refusal) {
        return authorizer.refusalHoldsUnder(other, caller, refusal);
      }
    };
  }
}
