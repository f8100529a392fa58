package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a service the proxy answers itself (PolicyAdmin) behind the same {@link Authorizer} as
 * every forwarded call: the caller's {@code authorization} header is authenticated and the
 * method's catalog rule decided before the service sees the call. A denied call ends with the
 * engine's status and message; every decision, allow or deny, is reported to the
 * {@link CallObserver} (metrics and audit) exactly as a forwarded call's is, with the shadow
 * policy's decision of the same call when one is loaded ({@link ShadowPolicy}; it never acts, and
 * a token the enforced policy refused for its signature or claims is not verified again).
 *
 * <p>Always enforced, whatever the proxy's {@link EnforcementMode}: dry run lets denied Temporal
 * calls through while a policy is tried out, but letting an API call that reads the policy and
 * names a key's owner through would reopen what the rule closes.
 *
 * <p>The services' rules must be decidable on headers alone (account-scoped, no behaviour that
 * reads the body); {@link #wrap} refuses others at start-up, and a method without a rule, rather
 * than leaving it open or shut by accident. Stateless; called on transport threads, never blocks.
 */
public final class AuthorizingInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  private final Authorizer authorizer;
  private final Decider decider;
  private final PolicyHolder policy;
  private final ShadowPolicy shadow;
  private final CallObserver observer;

  public AuthorizingInterceptor(Authorizer authorizer, PolicyHolder policy,
      CallObserver observer) {
    this(authorizer, policy, null, observer);
  }

  /**
   * With a shadow policy ({@code shadow}, null for none): each call is also decided under it and
   * both decisions are reported ({@link CallObserver#decidedWithShadow}); only {@code policy}'s
   * acts.
   */
  public AuthorizingInterceptor(Authorizer authorizer, PolicyHolder policy, PolicyHolder shadow,
      CallObserver observer) {
    this.authorizer = authorizer;
    this.decider = Decider.of(authorizer);
    this.policy = policy;
    this.shadow = ShadowPolicy.of(shadow, decider, observer);
    this.observer = observer;
  }

  /**
   * The service with every call decided first.
   *
   * @throws IllegalStateException when a method has no rule in the catalog, or one that needs
   *     the request body
   */
  public ServerServiceDefinition wrap(BindableService service) {
    ServerServiceDefinition definition = service.bindService();
    for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
      String name = method.getMethodDescriptor().getFullMethodName();
      CatalogEntry entry = authorizer.catalog().find(name);
      if (entry == null) {
        throw new IllegalStateException(name + " has no rule in the method catalog (RuleTable)");
      }
      if (entry.needsBody()) {
        throw new IllegalStateException(name + " is decided on its request body, which this"
            + " interceptor does not read; give it a rule decided on headers alone");
      }
    }
    return ServerInterceptors.intercept(definition, this);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String fullMethod = call.getMethodDescriptor().getFullMethodName();
    long started = System.nanoTime();
    Decision decision;
    Caller caller;
    try {
      List<String> authorizations = new ArrayList<>(1);
      Iterable<String> values = headers.getAll(UpstreamCredentials.AUTHORIZATION);
      if (values != null) {
        values.forEach(authorizations::add);
      }
      caller = Caller.fromRequest(authorizations,
          authorizer.identities().certificates() != null
              ? PeerCertificates.of(call) : List.of());
      decision = decider.decide(policy.current(), caller, fullMethod, null, List.of());
    } catch (RuntimeException e) {
      call.close(Status.INTERNAL.withDescription(
          "the proxy could not decide this call, so it was refused"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    observer.decisionTime(System.nanoTime() - started);
    CallInfo info = info(call, headers, fullMethod);
    if (shadow == null) {
      observer.decided(decision, info, true);
    } else {
      shadow.report(decision, true, caller, null, List.of(), info);
    }
    if (!decision.allowed()) {
      call.close(Refusals.denied(decision), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  private CallInfo info(ServerCall<?, ?> call, Metadata headers, String fullMethod) {
    CatalogEntry entry = authorizer.catalog().find(fullMethod);
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String requestId = headers.get(REQUEST_ID);
    return new CallInfo(
        entry == null ? ForwardingRegistry.OTHER : entry.rule().service().shortName(),
        entry == null ? ForwardingRegistry.OTHER : entry.rule().method(),
        fullMethod, peer == null ? "" : peer.toString(), requestId == null ? "" : requestId);
  }
}
