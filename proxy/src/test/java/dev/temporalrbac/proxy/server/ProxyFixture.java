package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import java.time.Duration;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.grpc.stub.MetadataUtils;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A proxy ({@link ForwardingRegistry}) in front of a {@link RecordingUpstream}, in process or
 * over Netty on loopback, plus raw-bytes client helpers. The policy is
 * {@code server/policy.yaml}; its API key secrets are the constants below.
 */
public final class ProxyFixture implements AutoCloseable {
  public static final String DEV = "dev-secret";
  public static final String READER = "reader-secret";
  public static final String ADMIN = "admin-secret";
  public static final String DISABLED = "disabled-secret";
  public static final String EXPIRED = "expired-secret";

  public static final String WS = "temporal.api.workflowservice.v1.WorkflowService/";
  public static final String START = WS + "StartWorkflowExecution";
  public static final String POLL = WS + "PollWorkflowTaskQueue";
  public static final String LIST_NAMESPACES = WS + "ListNamespaces";
  public static final String SYSTEM_INFO = WS + "GetSystemInfo";
  public static final String CLUSTER_INFO = WS + "GetClusterInfo";

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The proxy's own raw-bytes marshaller: test calls carry exactly the bytes they are given. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawMarshaller.INSTANCE;

  public final RecordingUpstream upstream;
  public final PolicyHolder holder;
  public final Authorizer authorizer;
  public final ProxyConfig config;
  final ForwardingRegistry registry;
  private final ManagedChannel toUpstream;
  private final Server proxy;
  private final ManagedChannel toProxy;

  private ProxyFixture(Builder b) throws Exception {
    authorizer = new Authorizer(MethodCatalog.load(), b.clock);
    holder = b.holder != null ? b.holder : new PolicyHolder(parse(policyYaml()));
    upstream = b.netty ? RecordingUpstream.netty() : RecordingUpstream.inProcess();
    Map<String, String> flags = new HashMap<>(b.settings);
    flags.putAll(Map.of("listen", "127.0.0.1:0", "policy", "unused.yaml",
        "admin", "127.0.0.1:0", "upstream", b.netty ? upstream.target() : "127.0.0.1:1"));
    config = new ConfigLoader(Map.of()).load(null, flags);
    toUpstream = b.netty ? ProxyServer.upstreamChannel(config) : upstream.inProcessChannel();
    registry = new ForwardingRegistry(MethodCatalog.load(), testDecider(authorizer), holder,
        toUpstream, b.credentials, b.mode, b.observer, config.limits());
    if (b.netty) {
      proxy = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .directExecutor().fallbackHandlerRegistry(registry)
          .maxInboundMessageSize(config.limits().maxRequestBytes()).build().start();
      int port = ((InetSocketAddress) proxy.getListenSockets().get(0)).getPort();
      toProxy = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    } else {
      String name = InProcessServerBuilder.generateName();
      proxy = InProcessServerBuilder.forName(name).directExecutor()
          .fallbackHandlerRegistry(registry).build().start();
      toProxy = InProcessChannelBuilder.forName(name).directExecutor().build();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The limits the settings {@code flags} give (e.g. {@code max-request-bytes}), defaults else. */
  public static ProxyConfig.Limits limits(Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(flags);
    all.putAll(Map.of("listen", "127.0.0.1:0", "policy", "unused.yaml", "admin", "127.0.0.1:0",
        "upstream", "127.0.0.1:1"));
    try {
      return new ConfigLoader(Map.of()).load(null, all).limits();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ProxyFixture start() throws Exception {
    return builder().start();
  }

  /** Options of the proxy under test. */
  public static final class Builder {
    private UpstreamCredentials credentials = UpstreamCredentials.passthrough();
    private EnforcementMode mode = EnforcementMode.ENFORCE;
    private CallObserver observer = CallObserver.NONE;
    private Clock clock = Clock.systemUTC();
    private PolicyHolder holder;
    private boolean netty;
    private final Map<String, String> settings = new HashMap<>();

    /** A setting by its flag name, e.g. {@code max-request-bytes}. */
    public Builder setting(String flag, String value) {
      settings.put(flag, value);
      return this;
    }

    public Builder credentials(UpstreamCredentials value) {
      credentials = value;
      return this;
    }

    public Builder mode(EnforcementMode value) {
      mode = value;
      return this;
    }

    public Builder observer(CallObserver value) {
      observer = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder holder(PolicyHolder value) {
      holder = value;
      return this;
    }

    public Builder netty() {
      netty = true;
      return this;
    }

    public ProxyFixture start() throws Exception {
      return new ProxyFixture(this);
    }
  }

  /**
   * The real Authorizer, except {@code test.Echo/*}: allowed for any authenticated caller (decided
   * as {@code GetClusterInfo}), so streaming shapes Temporal lacks can be forwarded.
   */
  /** Asserts {@code status} has {@code code} and a description holding every one of {@code words}. */
  public static void assertStatus(Status status, Status.Code code, String... words) {
    org.junit.jupiter.api.Assertions.assertEquals(code, status.getCode(), () -> "status " + status);
    for (String word : words) {
      org.junit.jupiter.api.Assertions.assertTrue(
          String.valueOf(status.getDescription()).contains(word),
          () -> "'" + status.getDescription() + "' lacks '" + word + "'");
    }
  }

  public static Decider testDecider(Authorizer authorizer) {
    Decider test = (policy, caller, method, body, header) -> {
      if (!method.startsWith(RecordingUpstream.ECHO)) {
        return authorizer.decideWithHeaders(policy, caller, method, body, header);
      }
      Decision gate = authorizer.decide(policy, caller, CLUSTER_INFO, new byte[0], null);
      if (!gate.allowed()) {
        return gate;
      }
      return new Decision(Outcome.ALLOW, Reason.ALLOWED, "allowed: test service", method,
          gate.principal(), gate.principalType(), gate.role(), gate.identifiedBy(), gate.credentialId(), List.of(),
          "authenticated", gate.policyVersion(), false, gate.rights());
    };
    return new Decider() { // the production authentication at headers, the test's decisions
      @Override
      public Decision decide(PolicySnapshot policy, Caller caller, String method, byte[] body,
          List<String> header) {
        return test.decide(policy, caller, method, body, header);
      }

      @Override
      public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String method) {
        return authorizer.refusalAtHeaders(policy, caller, method);
      }
    };
  }

  public static String policyYaml() {
    try (InputStream in = ProxyFixture.class.getResourceAsStream("/server/policy.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PolicySnapshot parse(String yaml) throws PolicyException {
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.now());
  }

  public static MethodDescriptor<byte[], byte[]> method(String fullName, MethodType type) {
    return MethodDescriptor.newBuilder(BYTES, BYTES).setFullMethodName(fullName).setType(type)
        .build();
  }

  /** Headers carrying {@code authorization: Bearer <secret>}; none when {@code secret} is null. */
  public static Metadata auth(String secret) {
    Metadata headers = new Metadata();
    if (secret != null) {
      headers.put(AUTHORIZATION, "Bearer " + secret);
    }
    return headers;
  }

  public static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  public ManagedChannel channel() {
    return toProxy;
  }

  /** The port a Netty proxy listens on, for clients of their own. */
  public int port() {
    return ((InetSocketAddress) proxy.getListenSockets().get(0)).getPort();
  }

  /** Starts a raw call through the proxy; the client asks for every response message. */
  public Exchange start(String method, MethodType type, Metadata headers, CallOptions options) {
    Exchange exchange = startManual(method, type, headers, options);
    exchange.call.request(Integer.MAX_VALUE);
    return exchange;
  }

  /** Starts a raw call through the proxy; response messages only as {@link Exchange#call} requests. */
  public Exchange startManual(String method, MethodType type, Metadata headers,
      CallOptions options) {
    ClientCall<byte[], byte[]> call = toProxy.newCall(method(method, type), options);
    Exchange exchange = new Exchange(call);
    call.start(exchange, headers);
    return exchange;
  }

  /** A unary call with {@code body}, waited for. */
  public Exchange unary(String secret, String method, byte[] body) {
    return unary(auth(secret), method, body);
  }

  public Exchange unary(Metadata headers, String method, byte[] body) {
    Exchange exchange = start(method, MethodType.UNARY, headers, CallOptions.DEFAULT);
    exchange.call.sendMessage(body);
    exchange.call.halfClose();
    exchange.awaitClose();
    return exchange;
  }

  @Override
  public void close() throws InterruptedException {
    toProxy.shutdownNow();
    proxy.shutdownNow();
    toUpstream.shutdownNow();
    upstream.close();
    toProxy.awaitTermination(5, TimeUnit.SECONDS);
    proxy.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A client call's observed events. */
  public static final class Exchange extends ClientCall.Listener<byte[]> {
    public final ClientCall<byte[], byte[]> call;
    public final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    public final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Status> status = new CompletableFuture<>();
    private volatile Metadata trailers;

    Exchange(ClientCall<byte[], byte[]> call) {
      this.call = call;
    }

    @Override
    public void onHeaders(Metadata value) {
      headers.complete(value);
    }

    @Override
    public void onMessage(byte[] message) {
      received.add(message);
    }

    @Override
    public void onClose(Status value, Metadata trailerValues) {
      trailers = trailerValues;
      status.complete(value);
    }

    /** The next response message, waited for. */
    public byte[] next() {
      try {
        byte[] message = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(message, "no response message within 20s");
        return message;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    public Status awaitClose() {
      return status.orTimeout(20, TimeUnit.SECONDS).join();
    }

    public Metadata trailers() {
      awaitClose();
      return trailers;
    }

    /** The messages received, once the call closed. */
    public List<byte[]> messages() {
      awaitClose();
      List<byte[]> all = new ArrayList<>();
      received.drainTo(all);
      return all;
    }

    /** The single response of a call that must have succeeded. */
    public byte[] single() {
      Status s = awaitClose();
      if (!s.isOk()) {
        throw new AssertionError("call failed: " + s);
      }
      List<byte[]> all = messages();
      if (all.size() != 1) {
        throw new AssertionError("expected one response, got " + all.size());
      }
      return all.get(0);
    }
  }

  /**
   * A blocking StartWorkflowExecution on {@code channel} with {@code secret} as the bearer
   * credential (none when null), within {@code deadline}.
   */
  static StartWorkflowExecutionResponse startWorkflow(ManagedChannel channel, String secret,
      String namespace, String workflowId, Duration deadline) {
    return WorkflowServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(secret)))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace).setWorkflowId(workflowId).build());
  }
}
