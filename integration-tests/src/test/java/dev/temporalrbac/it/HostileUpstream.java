package dev.temporalrbac.it;

import dev.temporalrbac.proxy.server.RawMarshaller;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for {@link HostileInputTest} that answers any unary method with an empty message
 * ({@code grpc.health.v1.Health/Check}: SERVING) and counts what reaches it, so a test can say
 * that a refused call was never forwarded. Thread-safe.
 */
final class HostileUpstream implements AutoCloseable {
  /** Calls received, health checks excluded. */
  final AtomicInteger received = new AtomicInteger();
  private final Server server;

  HostileUpstream() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .fallbackHandlerRegistry(new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
            return definition(name);
          }
        }).build().start();
  }

  int port() {
    return server.getPort();
  }

  private ServerMethodDefinition<byte[], byte[]> definition(String name) {
    boolean health = name.equals("grpc.health.v1.Health/Check");
    return ServerMethodDefinition.create(MethodDescriptor.newBuilder(RawMarshaller.INSTANCE, RawMarshaller.INSTANCE)
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(name).build(),
        ServerCalls.asyncUnaryCall((request, response) -> {
          if (!health) {
            received.incrementAndGet();
          }
          response.onNext(health ? new byte[] {0x08, 0x01} : new byte[0]);
          response.onCompleted();
        }));
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
