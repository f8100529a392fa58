package dev.temporalrbac.bench.attack;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpServer;
import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An upstream that answers every method with an empty message, after parsing the request with
 * protobuf-java's generated class for that method and checking every namespace target (see
 * {@link Targets}) against the namespaces the caller may use: a forwarded request naming another
 * is a <em>wrong allow</em>. A request whose top-level {@code workflow_id} starts with
 * {@code hold-} is held until cancelled (to see that the proxy cancels what it abandons).
 * {@code grpc.health.v1.Health/Check} answers SERVING.
 *
 * <p>Counters are served as {@code name value} lines on {@code GET /stats} of a small HTTP port.
 * Thread-safe: handlers run on grpc's executor and touch only atomics and concurrent sets.
 */
final class RecordingUpstream implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] SERVING = {0x08, 0x01};
  private static final int MAX_METHODS = 1000;

  /** Requests forwarded, but for the legitimate streams' ({@link #legit}). */
  final AtomicLong received = new AtomicLong();
  final AtomicLong legit = new AtomicLong();
  final AtomicLong unparseable = new AtomicLong();
  final AtomicLong wrongAllows = new AtomicLong();
  final AtomicLong noNamespace = new AtomicLong();
  final AtomicLong heldCancelled = new AtomicLong();
  final AtomicReference<String> lastWrong = new AtomicReference<>("");
  private final Set<Object> held = ConcurrentHashMap.newKeySet();
  private final Set<String> allowed;
  private final Map<String, ServerMethodDefinition<byte[], byte[]>> methods =
      new ConcurrentHashMap<>();
  private final Server server;
  private HttpServer stats;

  RecordingUpstream(int port, Set<String> allowed) throws IOException {
    this.allowed = allowed;
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .maxInboundMessageSize(256 * 1024 * 1024)
        .fallbackHandlerRegistry(new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
            return methods.size() < MAX_METHODS || methods.containsKey(name)
                ? methods.computeIfAbsent(name, RecordingUpstream.this::definition) : null;
          }
        })
        .build().start();
  }

  int port() {
    return server.getPort();
  }

  /** Serves {@code GET /stats} on {@code port} (0: any); returns the port. */
  int serveStats(int port) throws IOException {
    stats = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    stats.createContext("/stats", exchange -> {
      byte[] body = statsText().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    stats.start();
    return stats.getAddress().getPort();
  }

  String statsText() {
    return "received " + received.get() + "\nlegit " + legit.get() + "\nunparseable " + unparseable.get()
        + "\nwrong_allows " + wrongAllows.get() + "\nno_namespace " + noNamespace.get()
        + "\nheld_now " + held.size() + "\nheld_cancelled " + heldCancelled.get()
        + "\nlast_wrong " + lastWrong.get() + "\n";
  }

  private ServerMethodDefinition<byte[], byte[]> definition(String fullMethod) {
    return ServerMethodDefinition.create(Bytes.unary(fullMethod),
        ServerCalls.asyncUnaryCall((request, response) -> answer(fullMethod, request, response)));
  }

  private void answer(String method, byte[] request, StreamObserver<byte[]> response) {
    if (method.equals("grpc.health.v1.Health/Check")) {
      response.onNext(SERVING);
      response.onCompleted();
      return;
    }
    Message prototype = Targets.PROTOTYPES.get(method);
    Message parsed = null;
    if (prototype != null) {
      try {
        parsed = prototype.getParserForType().parseFrom(request);
      } catch (InvalidProtocolBufferException e) {
        unparseable.incrementAndGet();
      }
    }
    if (parsed != null && isLegit(parsed)) {
      legit.incrementAndGet();
    } else {
      received.incrementAndGet();
    }
    if (parsed != null) {
      judge(parsed, request);
      if (holds(parsed)) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) response;
        held.add(call);
        call.setOnCancelHandler(() -> {
          held.remove(call);
          heldCancelled.incrementAndGet();
        });
        return;
      }
    }
    response.onNext(EMPTY);
    response.onCompleted();
  }

  private void judge(Message parsed, byte[] request) {
    List<String> namespaces = new ArrayList<>();
    Targets.collect(parsed, namespaces, 0);
    boolean any = false;
    for (String ns : namespaces) {
      if (ns.isEmpty()) {
        continue;
      }
      any = true;
      if (!allowed.contains(ns)) {
        wrongAllows.incrementAndGet();
        String hex = HexFormat.of().formatHex(request);
        lastWrong.set(parsed.getDescriptorForType().getName() + ":" + ns + ":"
            + (hex.length() > 400 ? hex.substring(0, 400) + "..." : hex));
        System.out.println("WRONG ALLOW " + lastWrong.get());
        return;
      }
    }
    if (!any) {
      noNamespace.incrementAndGet();
    }
  }

  private static boolean holds(Message parsed) {
    return workflowId(parsed).startsWith("hold-");
  }

  /** The steady stream's and readiness probes' calls, kept out of {@code received}. */
  private static boolean isLegit(Message parsed) {
    String id = workflowId(parsed);
    return id.equals(Samples.STEADY_ID) || id.equals(Samples.PROBE_ID);
  }

  private static String workflowId(Message parsed) {
    FieldDescriptor field = parsed.getDescriptorForType().findFieldByName("workflow_id");
    return field != null && !field.isRepeated()
        && field.getJavaType() == FieldDescriptor.JavaType.STRING
        ? (String) parsed.getField(field) : "";
  }

  @Override
  public void close() {
    server.shutdownNow();
    if (stats != null) {
      stats.stop(0);
    }
  }
}
