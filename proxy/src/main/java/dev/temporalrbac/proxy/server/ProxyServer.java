package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ClientAuth;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The enforcement point: a Netty gRPC server whose every method is a {@link ForwardingRegistry}
 * handler, and the channel to the upstream. Calls run on the transport threads (the server uses
 * a direct executor): nothing on the path blocks, so a long poll costs no thread.
 *
 * <p>The gRPC health service answers on the same port ({@code grpc.health.v1.Health}); it turns
 * NOT_SERVING when shutdown starts, so load balancers stop sending new calls first.
 *
 * <p>Callers' connections are bounded by {@code limits.*}: RST_STREAM frames per window (HTTP/2
 * Rapid Reset ends the connection with GOAWAY ENHANCE_YOUR_CALM), header list size, time to
 * finish the TLS and HTTP/2 handshakes, and time without a call. Toward the upstream, keepalive
 * pings, {@link ConnectTimeout} and {@link UpstreamMonitor} make every call end on a dead, frozen
 * or black-holed upstream, and let calls pass again soon after it returns.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());

  private final Server server;
  private final EventLoops loops;
  /** The upstream: one channel per event loop, or the one channel given by the caller. */
  private final LoopAffineChannel perLoop;
  private final UpstreamMonitor monitor;
  private final HealthStatusManager health = new HealthStatusManager();

  private ProxyServer(ProxyConfig config, Authorizer authorizer, PolicyHolder policy,
      PolicyHolder shadow, CallObserver observer, EventLoops loops, LoopAffineChannel perLoop,
      ServerServiceDefinition... services) throws IOException {
    this.loops = loops;
    this.perLoop = perLoop;
    this.monitor = new UpstreamMonitor(perLoop.channels(), upstreamName(config),
        config.upstreamHealth());
    ForwardingRegistry registry = new ForwardingRegistry(authorizer, policy, shadow,
        perLoop, config.credentials(), config.mode(), observer,
        config.limits());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(config.listen())
        .bossEventLoopGroup(loops.boss)
        .workerEventLoopGroup(loops.workers)
        .channelType(loops.serverChannelType())
        .directExecutor()
        .fallbackHandlerRegistry(registry)
        .addService(health.getHealthService())
        .maxInboundMessageSize(config.limits().maxRequestBytes())
        .maxInboundMetadataSize(config.limits().maxHeaderListBytes())
        .maxConcurrentCallsPerConnection(config.limits().maxConcurrentCallsPerConnection())
        // HTTP/2 Rapid Reset (CVE-2023-44487): past the limit, GOAWAY ENHANCE_YOUR_CALM
        .maxRstFramesPerWindow(config.limits().maxResetsPerWindow(),
            (int) Math.min(Integer.MAX_VALUE, config.limits().resetWindow().toSeconds()))
        .maxConnectionIdle(config.limits().idleTimeout().toNanos(), TimeUnit.NANOSECONDS)
        // from accept to the client's first SETTINGS frame: TLS, the preface and SETTINGS
        .handshakeTimeout(config.limits().handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS)
        // SDKs ping idle connections; a strict server would answer GOAWAY "too_many_pings".
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (config.downstreamTls() != null) {
      builder.sslContext(serverSsl(config));
    } else if (clientAuth(config) != ClientAuth.NONE) {
      throw new IllegalArgumentException("tls.client_auth " + clientAuth(config)
          + " needs TLS for callers (tls.cert and tls.key)");
    } else {
      builder.protocolNegotiator(new TlsOnPlaintextPort(System::nanoTime));
    }
    for (ServerServiceDefinition service : services) {
      builder.addService(service); // the proxy's own services; they win over the forwarding
    }
    this.server = builder.build();
  }

  /**
   * Opens the upstream channels (one per event loop, each connected on its loop) and starts
   * listening.
   *
   * @param services served by the proxy itself on this port, not forwarded (PolicyAdmin); each
   *     must do its own authorization ({@link AuthorizingInterceptor})
   */
  public static ProxyServer start(ProxyConfig config, Authorizer authorizer, PolicyHolder policy,
      CallObserver observer, ServerServiceDefinition... services) throws IOException {
    return start(config, authorizer, policy, null, observer, services);
  }

  /**
   * As above, with a shadow policy: every forwarded call is also decided under {@code shadow}
   * (null for none), only to be observed; {@code policy} alone acts.
   */
  public static ProxyServer start(ProxyConfig config, Authorizer authorizer, PolicyHolder policy,
      PolicyHolder shadow, CallObserver observer, ServerServiceDefinition... services)
      throws IOException {
    EventLoops loops = new EventLoops(Runtime.getRuntime().availableProcessors());
    List<EventLoop> eventLoops = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (EventExecutor executor : loops.workers) {
        EventLoop loop = (EventLoop) executor;
        eventLoops.add(loop);
        channels.add(upstreamChannelBuilder(config)
            .eventLoopGroup(loop)
            .channelType(loops.clientChannelType())
            .build());
      }
      return start(config, authorizer, policy, shadow, observer, loops,
          new LoopAffineChannel(eventLoops, channels, loops.workers, connectTimeout(config)),
          services);
    } catch (IOException | RuntimeException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      loops.close();
      throw e;
    }
  }

  /**
   * Starts listening in front of an upstream channel the caller built (the embedded server of
   * "try it now" mode). The proxy owns the channel from here on and shuts it down.
   */
  public static ProxyServer start(ProxyConfig config, Authorizer authorizer, PolicyHolder policy,
      CallObserver observer, ManagedChannel channel, ServerServiceDefinition... services)
      throws IOException {
    return start(config, authorizer, policy, null, observer, channel, services);
  }

  /** As above, with a shadow policy decided beside {@code policy} (null for none). */
  public static ProxyServer start(ProxyConfig config, Authorizer authorizer, PolicyHolder policy,
      PolicyHolder shadow, CallObserver observer, ManagedChannel channel,
      ServerServiceDefinition... services) throws IOException {
    EventLoops loops = new EventLoops(Runtime.getRuntime().availableProcessors());
    try {
      return start(config, authorizer, policy, shadow, observer, loops, new LoopAffineChannel(
          List.of(), List.of(channel), loops.workers, connectTimeout(config)), services);
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      loops.close();
      throw e;
    }
  }

  private static ProxyServer start(ProxyConfig config, Authorizer authorizer,
      PolicyHolder policy, PolicyHolder shadow, CallObserver observer, EventLoops loops,
      LoopAffineChannel perLoop, ServerServiceDefinition... services) throws IOException {
    ProxyServer proxy = new ProxyServer(config, authorizer, policy, shadow, observer, loops,
        perLoop, services);
    proxy.server.start();
    proxy.health.setStatus("", ServingStatus.SERVING);
    proxy.monitor.start(); // connects now, so readiness reflects the upstream from the start
    LOG.info(() -> "temporal-rbac-proxy listening on " + proxy.server.getListenSockets()
        + ", forwarding to " + (config.upstream() == null ? "the embedded Temporal server"
        : config.upstream()) + " (" + config.mode() + ")");
    return proxy;
  }

  private static String upstreamName(ProxyConfig config) {
    return config.upstream() == null ? "(embedded)" : config.upstream();
  }

  private static ConnectTimeout connectTimeout(ProxyConfig config) {
    return new ConnectTimeout(upstreamName(config), config.upstreamHealth().connectTimeout());
  }

  /** One upstream channel on gRPC's default transport threads (tests use it to probe TLS). */
  static ManagedChannel upstreamChannel(ProxyConfig config) throws IOException {
    return upstreamChannelBuilder(config).build();
  }

  private static NettyChannelBuilder upstreamChannelBuilder(ProxyConfig config)
      throws IOException {
    ProxyConfig.UpstreamHealth health = config.upstreamHealth();
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(config.upstream())
        // stay connected (over 30 days disables idle mode): readiness and first calls stay fast
        .idleTimeout(31, TimeUnit.DAYS)
        // no transparent retries: callers retry themselves, and buffering every call for a
        // possible replay costs allocation and CPU on the hot path
        .disableRetry()
        .maxInboundMessageSize(config.limits().maxResponseBytes())
        .maxInboundMetadataSize(64 * 1024)
        // a frozen upstream keeps its TCP connection up: pings find out, and calls on it end
        // UNAVAILABLE (gRPC's minimum is 10s, which the Temporal frontend permits)
        .keepAliveTime(health.keepaliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(health.keepaliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveWithoutCalls(true)
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, health.connectTimeout().toMillis()));
    if (config.upstreamAuthority() != null) {
      builder.overrideAuthority(config.upstreamAuthority());
    }
    ProxyConfig.TlsFiles tls = config.upstreamTls();
    if (tls == null) {
      builder.usePlaintext();
    } else {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      if (tls.ca() != null) {
        ssl.trustManager(tls.ca().toFile());
      }
      if (tls.cert() != null) {
        ssl.keyManager(tls.cert().toFile(), tls.key().toFile());
      }
      builder.sslContext(ssl.build()).useTransportSecurity();
      if (tls.serverName() != null) {
        builder.overrideAuthority(tls.serverName());
      }
    }
    return builder;
  }

  /**
   * The callers' TLS context. With {@code tls.client_auth} optional or require, client
   * certificates are asked for and verified against {@code tls.client_ca} during the handshake (a
   * certificate that does not verify fails it; with require, so does none), so what reaches
   * {@link PeerCertificates} is verified.
   */
  private static SslContext serverSsl(ProxyConfig config) throws IOException {
    ProxyConfig.TlsFiles tls = config.downstreamTls();
    SslContextBuilder ssl = SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile());
    ClientAuth clientAuth = clientAuth(config);
    if (clientAuth != ClientAuth.NONE) {
      if (tls.ca() == null) {
        throw new IllegalArgumentException("tls.client_auth " + clientAuth
            + " needs tls.client_ca, the CA that signs callers' certificates");
      }
      ssl.trustManager(tls.ca().toFile()).clientAuth(clientAuth == ClientAuth.REQUIRE
          ? io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE
          : io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.OPTIONAL);
    }
    return GrpcSslContexts.configure(ssl).build();
  }

  private static ClientAuth clientAuth(ProxyConfig config) {
    return config.identity() == null ? ClientAuth.NONE : config.identity().clientAuth();
  }

  /** The port the proxy listens on (useful when configured with port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /**
   * True when every upstream connection is up and the upstream answered its last probe
   * ({@link UpstreamMonitor}); asks idle channels to connect. Any thread; never blocks.
   */
  public boolean upstreamReady() {
    return monitor.ready();
  }

  /**
   * Graceful stop: health turns NOT_SERVING, no new calls are accepted, calls in flight may
   * finish within {@code grace}; what is still running then (long polls) is cancelled.
   *
   * @return true when every call finished within the grace period
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    boolean drained = server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!drained) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    monitor.close();
    perLoop.shutdownNow(5, TimeUnit.SECONDS);
    loops.close();
    return drained;
  }

  @Override
  public void close() throws InterruptedException {
    shutdown(Duration.ZERO);
  }
}
