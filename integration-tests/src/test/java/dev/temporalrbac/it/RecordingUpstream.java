package dev.temporalrbac.it;

import dev.temporalrbac.proxy.server.RawMarshaller;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that answers every unary method of every service and records what reached it:
 * method, request bytes and the {@code authorization} header. It answers an empty message (the
 * default instance of any response type) unless a response was set for the method. The gRPC
 * health service is served, not recorded.
 */
final class RecordingUpstream implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** One call that reached the upstream. */
  record Arrival(String method, byte[] body, String authorization) {}

  private final List<Arrival> arrivals = new ArrayList<>();
  private final Map<String, byte[]> responses = new ConcurrentHashMap<>();
  private final Server server;

  RecordingUpstream() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        // a real health service, as the Temporal frontend has: the proxy's readiness probes
        // (grpc.health.v1.Health/Check) are answered there and never recorded as arrivals
        .addService(new HealthStatusManager().getHealthService())
        .fallbackHandlerRegistry(new Registry())
        .build()
        .start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Answers {@code fullMethod} with {@code response} from now on. */
  void respond(String fullMethod, byte[] response) {
    responses.put(fullMethod, response);
  }

  /** Everything that arrived since the last call, oldest first; forgets it. */
  synchronized List<Arrival> drain() {
    List<Arrival> all = new ArrayList<>(arrivals);
    arrivals.clear();
    return all;
  }

  private synchronized void record(Arrival arrival) {
    arrivals.add(arrival);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  private final class Registry extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<byte[], byte[]> method =
          MethodDescriptor.newBuilder(RawMarshaller.INSTANCE, RawMarshaller.INSTANCE)
          .setFullMethodName(methodName)
          .setType(MethodDescriptor.MethodType.UNARY)
          .build();
      return ServerMethodDefinition.create(method, (call, headers) -> {
        String authorization = headers.get(AUTHORIZATION);
        return ServerCalls.<byte[], byte[]>asyncUnaryCall((request, response) -> {
          record(new Arrival(methodName, request, authorization));
          response.onNext(responses.getOrDefault(methodName, new byte[0]));
          response.onCompleted();
        }).startCall(call, headers);
      });
    }
  }
}
