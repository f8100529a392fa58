package dev.temporalrbac.proxy.server;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: the attack of issue 9 against a proxy in another process, for the report's figures.
 * {@code java -cp <test classpath> dev.temporalrbac.proxy.server.HostileLoad <port> [bombs]
 * [bigRequests] [bigMiB]} sends, all at once, {@code bombs} gzip bombs (1 MiB inflating to 1 GiB)
 * and {@code bigRequests} uncompressed requests of {@code bigMiB} MiB, while one caller keeps
 * making ordinary calls (GetSystemInfo with the fixture's developer key); it prints the status
 * codes each kind ended with. Whether the proxy ran out of memory is read from its own log.
 */
public final class HostileLoad {
  private HostileLoad() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int bombs = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int big = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int bigMiB = args.length > 3 ? Integer.parseInt(args[3]) : 120;
    byte[] bomb = PrecompressedGzip.gzipZeros(1L << 30);
    System.out.println("bomb: " + bomb.length + " bytes on the wire, 1 GiB inflated");

    ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .build();
    ManagedChannel gzip = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .compressorRegistry(PrecompressedGzip.registry()).build();
    AtomicBoolean attacking = new AtomicBoolean(true);
    AtomicInteger normalOk = new AtomicInteger();
    Map<String, Integer> normalFailed = new TreeMap<>();
    Thread normal = new Thread(() -> {
      for (int i = 0; i < 100_000 && attacking.get(); i++) {
        Status status = call(plain, CallOptions.DEFAULT, new java.io.ByteArrayInputStream(
            new byte[0]), ProxyFixture.SYSTEM_INFO);
        if (status.isOk()) {
          normalOk.incrementAndGet();
        } else {
          synchronized (normalFailed) {
            normalFailed.merge(status.getCode().name(), 1, Integer::sum);
          }
        }
      }
    });
    normal.start();

    List<CompletableFuture<Status>> bombCalls = new ArrayList<>();
    List<CompletableFuture<Status>> bigCalls = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < bombs; i++) {
      bombCalls.add(start(gzip, CallOptions.DEFAULT.withCompression("gzip"),
          new java.io.ByteArrayInputStream(bomb), ProxyFixture.START));
    }
    for (int i = 0; i < big; i++) {
      bigCalls.add(start(plain, CallOptions.DEFAULT, new ZeroStream(bigMiB << 20),
          ProxyFixture.START));
    }
    System.out.println("gzip bombs:   " + codes(bombCalls));
    System.out.println(bigMiB + " MiB requests: " + codes(bigCalls));
    System.out.printf("attack over in %.1f s%n", (System.nanoTime() - started) / 1e9);
    Thread.sleep(2000); // ordinary calls after the attack, too
    attacking.set(false);
    normal.join(30_000);
    System.out.println("ordinary calls: " + normalOk.get() + " OK, failed " + normalFailed);
    plain.shutdownNow();
    gzip.shutdownNow();
  }

  private static Status call(ManagedChannel channel, CallOptions options, InputStream body,
      String method) {
    return start(channel, options.withDeadlineAfter(10, TimeUnit.SECONDS), body, method)
        .join();
  }

  private static CompletableFuture<Status> start(ManagedChannel channel, CallOptions options,
      InputStream body, String method) {
    MethodDescriptor.Marshaller<InputStream> asIs = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(InputStream value) {
        return value;
      }

      @Override
      public InputStream parse(InputStream stream) {
        return stream;
      }
    };
    MethodDescriptor<InputStream, byte[]> descriptor = MethodDescriptor
        .newBuilder(asIs, RawMarshaller.INSTANCE).setFullMethodName(method)
        .setType(MethodType.UNARY).build();
    ClientCall<InputStream, byte[]> call = channel.newCall(descriptor, options);
    CompletableFuture<Status> status = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status value, Metadata trailers) {
        status.complete(value);
      }
    }, ProxyFixture.auth(ProxyFixture.DEV));
    call.request(1);
    call.sendMessage(body);
    call.halfClose();
    return status;
  }

  private static Map<String, Integer> codes(List<CompletableFuture<Status>> calls) {
    Map<String, Integer> codes = new TreeMap<>();
    for (CompletableFuture<Status> call : calls) {
      Status status = call.orTimeout(120, TimeUnit.SECONDS).join();
      String key = status.getCode() + " \"" + status.getDescription() + "\"";
      codes.merge(key, 1, Integer::sum);
    }
    return codes;
  }
}
