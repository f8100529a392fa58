package dev.temporalrbac.bench.attack;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Unary calls with raw bytes through grpc-java, and a tally of how they ended. */
final class Calls {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> NAMESPACE =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  /** How one call ended. */
  record Result(Status.Code code, long nanos) {}

  private Calls() {}

  static ManagedChannel channel(String target) {
    return NettyChannelBuilder.forTarget(target).usePlaintext()
        .maxInboundMessageSize(16 * 1024 * 1024).build();
  }

  /** Headers with {@code authorization} exactly as given (null: none) and a namespace header. */
  static Metadata headers(String authorization, String namespace) {
    Metadata md = new Metadata();
    if (authorization != null) {
      md.put(AUTHORIZATION, authorization);
    }
    if (namespace != null) {
      md.put(NAMESPACE, namespace);
    }
    return md;
  }

  /**
   * One unary call; {@code deadlineMillis <= 0}: none (the future then ends only when the call
   * does). Never throws.
   */
  static CompletableFuture<Result> call(ManagedChannel channel, String method, byte[] body,
      Metadata headers, long deadlineMillis) {
    CallOptions options = deadlineMillis > 0
        ? CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        : CallOptions.DEFAULT;
    ClientCall<byte[], byte[]> call = channel.newCall(Bytes.unary(method), options);
    CompletableFuture<Result> done = new CompletableFuture<>();
    long start = System.nanoTime();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        done.complete(new Result(status.getCode(), System.nanoTime() - start));
      }
    }, headers);
    call.request(1);
    call.sendMessage(body);
    call.halfClose();
    return done;
  }

  /** Counts outcomes by status name; thread-safe. */
  static final class Tally {
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();

    void add(Status.Code code) {
      byStatus.computeIfAbsent(code.name(), k -> new AtomicLong()).incrementAndGet();
    }

    void add(String outcome) {
      byStatus.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    long get(String name) {
      AtomicLong n = byStatus.get(name);
      return n == null ? 0 : n.get();
    }

    long total() {
      return byStatus.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> snapshot() {
      Map<String, Long> out = new TreeMap<>();
      byStatus.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }
}
