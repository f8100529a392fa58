package dev.temporalrbac.proxy.admin;

import com.sun.net.httpserver.HttpServer;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.ReloadStatus;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin port: HTTP/1.1 ({@code /metrics}, {@code /healthz}, {@code /readyz}; see
 * {@link AdminHttp}) and gRPC ({@code temporalrbac.v1.PolicyAdmin}, plus server reflection) on
 * one address, by default {@code 127.0.0.1:9090}. A {@link ProtocolSplitter} accepts each
 * connection and splices it, by its first bytes, to a JDK HTTP server or a grpc-java server, both
 * bound to ephemeral loopback ports that only this process is meant to use.
 *
 * <p>Thread budget: one accept thread, at most {@value #MAX_SPLICE_THREADS} splice threads (two
 * per open connection, so 32 connections at once; more are closed at once), two HTTP handler
 * threads and two gRPC handler threads, all daemons, plus grpc-netty's shared event loops. gRPC
 * connections idle for five minutes are closed (clients reconnect transparently). {@link #start} returns once the port accepts
 * connections; {@link #close()} may be called from any thread and is idempotent.
 */
public final class AdminServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 9090;
  static final int MAX_SPLICE_THREADS = 64;

  private final ServerSocket listener;
  private final ProtocolSplitter splitter;
  private final HttpServer http;
  private final Server grpc;
  private final ExecutorService splicePool;
  private final ExecutorService httpPool;
  private final ExecutorService grpcPool;
  private volatile boolean closed;

  private AdminServer(ServerSocket listener, ProtocolSplitter splitter, HttpServer http,
      Server grpc, ExecutorService splicePool, ExecutorService httpPool,
      ExecutorService grpcPool) {
    this.listener = listener;
    this.splitter = splitter;
    this.http = http;
    this.grpc = grpc;
    this.splicePool = splicePool;
    this.httpPool = httpPool;
    this.grpcPool = grpcPool;
  }

  /** {@code 127.0.0.1:9090}. */
  public static InetSocketAddress defaultAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
  }

  /**
   * Starts the admin port with the proxy's metrics and the PolicyAdmin service.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #port()})
   * @param upstreamReady whether the upstream is reachable, asked on each {@code /readyz}; must
   *     not block long (e.g. a channel's connectivity state)
   * @param reloads reload counts for GetPolicyStatus, e.g. {@code watcher::status}; null if none
   */
  public static AdminServer start(InetSocketAddress address, ProxyMetrics metrics,
      PolicyHolder policy, BooleanSupplier upstreamReady, Authorizer authorizer,
      Supplier<ReloadStatus> reloads) throws IOException {
    return start(address, metrics::scrape, policy, upstreamReady, List.of(
        new PolicyAdminService(authorizer, policy, reloads), ProtoReflectionServiceV1.newInstance()));
  }

  /**
   * Starts the admin port with any scrape source and gRPC services.
   *
   * @param scrape the Prometheus text exposition, asked on each {@code /metrics}
   * @throws IOException when {@code address} cannot be bound (nothing is left running then)
   */
  public static AdminServer start(InetSocketAddress address, Supplier<String> scrape,
      PolicyHolder policy, BooleanSupplier upstreamReady,
      List<? extends BindableService> grpcServices) throws IOException {
    ExecutorService splicePool = new ThreadPoolExecutor(0, MAX_SPLICE_THREADS, 30,
        TimeUnit.SECONDS, new SynchronousQueue<>(), daemons("admin-splice"));
    ExecutorService httpPool = Executors.newFixedThreadPool(2, daemons("admin-http"));
    ExecutorService grpcPool = Executors.newFixedThreadPool(2, daemons("admin-grpc"));
    HttpServer http = null;
    Server grpc = null;
    ServerSocket listener = null;
    try {
      http = new AdminHttp(scrape, policy, upstreamReady).start(httpPool);
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .executor(grpcPool)
          // an idle admin client holds two splice threads; make it reconnect when it needs to
          .maxConnectionIdle(5, TimeUnit.MINUTES);
      grpcServices.forEach(builder::addService);
      grpc = builder.build().start();
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(address, 50);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ProtocolSplitter splitter = new ProtocolSplitter(listener,
          new InetSocketAddress(loopback, http.getAddress().getPort()),
          new InetSocketAddress(loopback, grpc.getPort()), splicePool);
      splitter.start();
      return new AdminServer(listener, splitter, http, grpc, splicePool, httpPool, grpcPool);
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        listener.close();
      }
      if (grpc != null) {
        grpc.shutdownNow();
      }
      if (http != null) {
        http.stop(0);
      }
      splicePool.shutdownNow();
      httpPool.shutdownNow();
      grpcPool.shutdownNow();
      throw e;
    }
  }

  /** The port the admin listener is bound to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The address the admin listener is bound to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Closes the port and every admin connection, then stops both servers. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    splitter.close();
    grpc.shutdownNow();
    http.stop(0);
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    splicePool.shutdownNow();
    httpPool.shutdownNow();
    grpcPool.shutdownNow();
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
