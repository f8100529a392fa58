package dev.temporalrbac.proxy.admin;

import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin port, HTTP/1.1 only: {@code GET /metrics}, {@code /healthz}, {@code /readyz} and, when
 * the proxy mints upstream tokens, their key's JWKS (see {@link AdminPages}); by default on
 * {@code 127.0.0.1:9090}. Other paths are 404, other methods
 * 405. The PolicyAdmin gRPC service is not here: it is on the main port, behind the same
 * authorization as every other call.
 *
 * <p>Built on Netty's HTTP/1.1 codec (the copy inside grpc-netty-shaded, so the process carries
 * one Netty) on an event loop of its own with one thread: clients that open connections and send
 * slowly or not at all hold a socket and at most a header-sized buffer, never a thread, within the
 * bounds of {@link AdminLimits}. {@code /metrics} is rendered on one more thread, so a slow scrape
 * does not delay health checks.
 *
 * <p>{@link #start} returns once the port accepts connections; {@link #close()} may be called
 * from any thread and is idempotent.
 */
public final class AdminServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 9090;
  /** Largest chunk of a request body the decoder hands on; bodies are refused anyway. */
  private static final int MAX_CHUNK_BYTES = 8 * 1024;

  private final EventLoopGroup loop;
  private final ThreadPoolExecutor scrapes;
  private final Channel listener;
  private volatile boolean closed;

  private AdminServer(EventLoopGroup loop, ThreadPoolExecutor scrapes, Channel listener) {
    this.loop = loop;
    this.scrapes = scrapes;
    this.listener = listener;
  }

  /** {@code 127.0.0.1:9090}. */
  public static InetSocketAddress defaultAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
  }

  /**
   * Starts the admin port with the proxy's metrics and the default limits.
   *
   * @param upstreamReady whether the upstream is ready, asked on each {@code /readyz} on the
   *     event loop: must not block
   */
  public static AdminServer start(InetSocketAddress address, ProxyMetrics metrics,
      PolicyHolder policy, BooleanSupplier upstreamReady) throws IOException {
    return start(address, metrics::scrape, policy, upstreamReady, AdminLimits.DEFAULTS, null);
  }

  /**
   * As {@link #start(InetSocketAddress, ProxyMetrics, PolicyHolder, BooleanSupplier)}, also
   * serving {@code publicJwks} (the minting key's public JWKS; null for none, then 404).
   */
  public static AdminServer start(InetSocketAddress address, ProxyMetrics metrics,
      PolicyHolder policy, BooleanSupplier upstreamReady, String publicJwks) throws IOException {
    return start(address, metrics, policy, null, upstreamReady, publicJwks);
  }

  /**
   * As {@link #start(InetSocketAddress, ProxyMetrics, PolicyHolder, BooleanSupplier, String)},
   * with the shadow policy's holder ({@code /readyz} names its version); null when there is no
   * shadow policy.
   */
  public static AdminServer start(InetSocketAddress address, ProxyMetrics metrics,
      PolicyHolder policy, PolicyHolder shadowPolicy, BooleanSupplier upstreamReady,
      String publicJwks) throws IOException {
    return start(address, metrics::scrape, new AdminPages.Policies(policy, shadowPolicy),
        upstreamReady, AdminLimits.DEFAULTS, publicJwks);
  }

  /** The admin port without a JWKS (see the next method). */
  public static AdminServer start(InetSocketAddress address, Supplier<String> scrape,
      PolicyHolder policy, BooleanSupplier upstreamReady, AdminLimits limits)
      throws IOException {
    return start(address, scrape, policy, upstreamReady, limits, null);
  }

  /**
   * Starts the admin port.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #port()})
   * @param scrape the Prometheus text exposition, asked on each {@code /metrics}
   * @param upstreamReady asked on each {@code /readyz} on the event loop: must not block
   * @param publicJwks served at {@code /.well-known/jwks.json} and {@code /jwks.json}; null for
   *     none (404 there)
   * @throws IOException when {@code address} cannot be bound (nothing is left running then)
   */
  public static AdminServer start(InetSocketAddress address, Supplier<String> scrape,
      PolicyHolder policy, BooleanSupplier upstreamReady, AdminLimits limits, String publicJwks)
      throws IOException {
    return start(address, scrape, new AdminPages.Policies(policy, null), upstreamReady, limits,
        publicJwks);
  }

  private static AdminServer start(InetSocketAddress address, Supplier<String> scrape,
      AdminPages.Policies policy, BooleanSupplier upstreamReady, AdminLimits limits,
      String publicJwks) throws IOException {
    EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("admin-io", true));
    ThreadPoolExecutor scrapes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.maxPendingScrapes()),
        new DefaultThreadFactory("admin-metrics", true));
    AdminPages pages = new AdminPages(scrape, policy, upstreamReady, publicJwks);
    // confined to the loop's one thread, like every connection's handler
    ConnectionBudget budget = new ConnectionBudget(limits.maxConnections());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 128)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast(new HttpServerCodec(limits.maxHeaderBytes(), limits.maxHeaderBytes(),
                    MAX_CHUNK_BYTES))
                // no admin request has a body: one that announces one is answered 413
                .addLast(new HttpObjectAggregator(0))
                .addLast(new AdminHttpHandler(pages, budget, limits, scrapes));
          }
        });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      scrapes.shutdownNow();
      Throwable cause = bound.cause();
      throw new IOException("cannot listen on the admin address " + address + ": "
          + cause.getMessage(), cause);
    }
    return new AdminServer(loop, scrapes, bound.channel());
  }

  /** The port the admin listener is bound to. */
  public int port() {
    return address().getPort();
  }

  /** The address the admin listener is bound to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Closes the port and every admin connection; waits up to five seconds for the loop to end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    scrapes.shutdownNow();
  }
}
