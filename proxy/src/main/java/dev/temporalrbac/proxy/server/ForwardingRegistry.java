package dev.temporalrbac.proxy.server;

import com.google.protobuf.Descriptors;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.Scope;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Answers every method name with a forwarding handler: the catalog's methods with their real
 * call type, any other name too (so the caller gets the proxy's "no rule" denial rather than
 * UNIMPLEMENTED, and nothing is forwarded). Method definitions for the catalog are built once.
 */
public final class ForwardingRegistry extends HandlerRegistry {
  private static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  static final String OTHER = "other";

  private final Forwarder forwarder;
  private final RequestBudget budget;
  private final Map<String, ServerMethodDefinition<byte[], byte[]>> known = new HashMap<>();
  /** The proxy's own methods (PolicyAdmin): served by a registered service, never forwarded. */
  private final Set<String> ownMethods = new HashSet<>();

  /** The production registry: the catalog's methods, decided by {@code authorizer}. */
  public ForwardingRegistry(Authorizer authorizer, PolicyHolder policy, Channel upstream,
      UpstreamCredentials credentials, EnforcementMode mode, CallObserver observer,
      ProxyConfig.Limits limits) {
    this(authorizer, policy, null, upstream, credentials, mode, observer, limits);
  }

  /**
   * The production registry with a shadow policy: every call is also decided under
   * {@code shadow} (null for none), only to be observed ({@link ProxiedCall}).
   */
  public ForwardingRegistry(Authorizer authorizer, PolicyHolder policy, PolicyHolder shadow,
      Channel upstream, UpstreamCredentials credentials, EnforcementMode mode,
      CallObserver observer, ProxyConfig.Limits limits) {
    this(authorizer.catalog(), Decider.of(authorizer), policy, shadow, upstream, credentials,
        mode, observer, limits, authorizer.identities().certificates() != null);
  }

  /**
   * A registry whose calls are decided by {@code decider}; method types come from
   * {@code catalog}. Of {@code limits} it uses the request size, the request buffer budget and the
   * first-message timeout (the transport enforces the rest).
   */
  public ForwardingRegistry(MethodCatalog catalog, Decider decider, PolicyHolder policy,
      Channel upstream, UpstreamCredentials credentials, EnforcementMode mode,
      CallObserver observer, ProxyConfig.Limits limits) {
    this(catalog, decider, policy, upstream, credentials, mode, observer, limits, false);
  }

  /**
   * As above; when {@code clientCertificates}, each call's verified TLS client certificate chain
   * is handed to the decider with its headers.
   */
  public ForwardingRegistry(MethodCatalog catalog, Decider decider, PolicyHolder policy,
      Channel upstream, UpstreamCredentials credentials, EnforcementMode mode,
      CallObserver observer, ProxyConfig.Limits limits, boolean clientCertificates) {
    this(catalog, decider, policy, null, upstream, credentials, mode, observer, limits,
        clientCertificates);
  }

  /** As above, with a shadow policy decided beside {@code policy} (null for none). */
  public ForwardingRegistry(MethodCatalog catalog, Decider decider, PolicyHolder policy,
      PolicyHolder shadow, Channel upstream, UpstreamCredentials credentials,
      EnforcementMode mode, CallObserver observer, ProxyConfig.Limits limits,
      boolean clientCertificates) {
    this.budget = new RequestBudget(limits.requestBufferBytes(), limits.maxRequestBytes());
    this.forwarder = new Forwarder(decider, policy, ShadowPolicy.of(shadow, decider, observer),
        upstream, credentials, mode, observer, budget, limits.firstMessageTimeout(),
        clientCertificates);
    for (CatalogEntry entry : catalog.entries()) {
      String name = entry.fullMethodName();
      if (!entry.rule().service().forwarded()) {
        ownMethods.add(name);
        continue;
      }
      known.put(name, definition(name, type(entry.descriptor()),
          entry.rule().service().shortName(), entry.rule().method(),
          entry.rule().scope() == Scope.PUBLIC));
    }
  }

  /** Request bytes reserved right now across all calls (see {@link RequestBudget}). */
  long requestBufferBytesInUse() {
    return budget.reservedBytes();
  }

  /**
   * The forwarding handler for {@code methodName}. The proxy's own methods are answered by their
   * registered service, which the server looks up before this registry; reaching here means it is
   * not registered, and the call ends UNIMPLEMENTED rather than being forwarded.
   */
  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    ServerMethodDefinition<byte[], byte[]> definition = known.get(methodName);
    if (definition == null && ownMethods.contains(methodName)) {
      return null;
    }
    return definition != null ? definition
        : definition(methodName, MethodType.UNKNOWN, OTHER, OTHER, false);
  }

  private ServerMethodDefinition<byte[], byte[]> definition(String fullName, MethodType type,
      String service, String method, boolean openToAnyone) {
    MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor
        .newBuilder(RawMarshaller.INSTANCE, RawMarshaller.INSTANCE)
        .setFullMethodName(fullName)
        .setType(type)
        .build();
    return ServerMethodDefinition.create(descriptor, new Handler(descriptor, service, method,
        openToAnyone));
  }

  private static MethodType type(Descriptors.MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  private final class Handler implements ServerCallHandler<byte[], byte[]> {
    private final MethodDescriptor<byte[], byte[]> method;
    private final String service;
    private final String methodLabel;
    private final boolean openToAnyone;

    Handler(MethodDescriptor<byte[], byte[]> method, String service, String methodLabel,
        boolean openToAnyone) {
      this.method = method;
      this.service = service;
      this.methodLabel = methodLabel;
      this.openToAnyone = openToAnyone;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call,
        Metadata headers) {
      SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String requestId = headers.get(REQUEST_ID);
      CallInfo info = new CallInfo(service, methodLabel, method.getFullMethodName(),
          peer == null ? "" : peer.toString(), requestId == null ? "" : requestId);
      return new ProxiedCall(forwarder, method, call, headers, info,
          Context.current().getDeadline(), openToAnyone).start();
    }
  }
}
