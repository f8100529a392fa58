package dev.temporalrbac.proxy.server;

import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.Channel;
import java.util.Objects;

/**
 * What every proxied call shares: the engine, the policy in force, the upstream channel, how
 * credentials travel, the enforcement mode and who observes. Immutable; one per server.
 */
record Forwarder(
    Decider decider,
    PolicyHolder policy,
    Channel upstream,
    UpstreamCredentials credentials,
    EnforcementMode mode,
    CallObserver observer) {

  Forwarder {
    Objects.requireNonNull(decider, "decider");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(observer, "observer");
  }
}
