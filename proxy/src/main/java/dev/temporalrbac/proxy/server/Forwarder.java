package dev.temporalrbac.proxy.server;

import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.Channel;
import java.time.Duration;
import java.util.Objects;

/**
 * What every proxied call shares: the engine, the policy in force (and the shadow policy, if
 * any), the upstream channel, how
 * credentials travel, the enforcement mode, who observes, the request buffer budget and how long
 * a request may take to arrive. Immutable; one per server.
 *
 * @param shadow the shadow policy; null when none is configured
 * @param firstMessageTimeout {@code limits.first_message_timeout}
 * @param clientCertificates callers' TLS client certificates identify them (read per call)
 */
record Forwarder(
    Decider decider,
    PolicyHolder policy,
    ShadowPolicy shadow,
    Channel upstream,
    UpstreamCredentials credentials,
    EnforcementMode mode,
    CallObserver observer,
    RequestBudget budget,
    Duration firstMessageTimeout,
    boolean clientCertificates) {

  Forwarder {
    Objects.requireNonNull(decider, "decider");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(budget, "budget");
    if (firstMessageTimeout.isNegative() || firstMessageTimeout.isZero()) {
      throw new IllegalArgumentException("the first-message timeout must be positive");
    }
  }
}
