package dev.temporalrbac.proxy.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream of the forwarding tests: records every call forwarded to it (method, headers,
 * deadline, request and response bytes, cancellation). Temporal methods are answered by a
 * configurable {@link Behaviour} (default: an empty response, OK); the raw-bytes test service
 * {@code test.Echo} has unary, server-, client- and bidi-streaming methods and a flow-controlled
 * {@code Flood}.
 */
public final class RecordingUpstream implements AutoCloseable {
  public static final String ECHO = "test.Echo/";
  public static final String UNARY = ECHO + "Unary";
  public static final String SERVER_STREAM = ECHO + "ServerStream";
  public static final String CLIENT_STREAM = ECHO + "ClientStream";
  public static final String BIDI = ECHO + "Bidi";
  public static final String FLOOD = ECHO + "Flood";
  public static final String SINK = ECHO + "Sink";
  public static final int FLOOD_MESSAGE_BYTES = 64 * 1024;
  /**
   * What a {@link ProxyServer}'s UpstreamMonitor calls every probe interval: answered but not
   * recorded, so {@link #calls()} holds the calls the proxy forwarded, however long a test runs.
   */
  static final String HEALTH_PROBE = "grpc.health.v1.Health/Check";

  /** What a Temporal method does with its (single) request, on half-close. */
  @FunctionalInterface
  public interface Behaviour {
    void handle(ServerCall<byte[], byte[]> call, byte[] request);
  }

  /** Never answers: a long poll with no work. */
  public static final Behaviour NEVER = (call, request) -> {};

  /** Answers {@code response} with OK. */
  public static Behaviour reply(byte[] response) {
    return (call, request) -> {
      call.sendHeaders(new Metadata());
      call.sendMessage(response);
      call.close(Status.OK, new Metadata());
    };
  }

  /** One call as the upstream saw it. */
  public static final class Call {
    public final String method;
    public final Metadata headers;
    public final Deadline deadline;
    public final List<byte[]> requests = new CopyOnWriteArrayList<>();
    public final List<byte[]> responses = new CopyOnWriteArrayList<>();
    public final CountDownLatch cancelled = new CountDownLatch(1);

    Call(String method, Metadata headers, Deadline deadline) {
      this.method = method;
      this.headers = headers;
      this.deadline = deadline;
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Server server;
  private final String inProcessName;
  /** Flood: bytes handed to the transport so far, and whether it finished. */
  public final AtomicLong floodSentBytes = new AtomicLong();
  public final AtomicBoolean floodDone = new AtomicBoolean();
  /** Sink: its stream (requests only what the test asks for) and what it has read. */
  public final CompletableFuture<ServerCallStreamObserver<byte[]>> sink = new CompletableFuture<>();
  public final BlockingQueue<byte[]> sinkReceived = new LinkedBlockingQueue<>();

  private RecordingUpstream(boolean netty) throws IOException {
    inProcessName = netty ? null : InProcessServerBuilder.generateName();
    io.grpc.ServerBuilder<?> builder = netty
        ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        : InProcessServerBuilder.forName(inProcessName);
    server = builder.directExecutor()
        .addService(echoService())
        .fallbackHandlerRegistry(new Fallback())
        .intercept(new Recorder())
        .build().start();
  }

  public static RecordingUpstream inProcess() throws IOException {
    return new RecordingUpstream(false);
  }

  public static RecordingUpstream netty() throws IOException {
    return new RecordingUpstream(true);
  }

  /** {@code host:port} of a Netty upstream. */
  public String target() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** A channel to an in-process upstream (the proxy's upstream channel). */
  public ManagedChannel inProcessChannel() {
    return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
  }

  public void on(String fullMethod, Behaviour behaviour) {
    behaviours.put(fullMethod, behaviour);
  }

  public List<Call> calls() {
    return calls;
  }

  /** Waits until at least {@code n} calls have arrived; returns the n-th (1-based). */
  public Call awaitCall(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (calls) {
      while (calls.size() < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + calls.size() + " of " + n + " calls reached the upstream");
        }
        calls.wait(Math.max(1, left / 1_000_000));
      }
      return calls.get(n - 1);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** The content of Flood message {@code i}: its index, then a pattern derived from it. */
  public static byte[] floodMessage(int i) {
    byte[] message = new byte[FLOOD_MESSAGE_BYTES];
    ByteBuffer.wrap(message).putInt(i);
    for (int j = 4; j < message.length; j++) {
      message[j] = (byte) (i * 31 + j);
    }
    return message;
  }

  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> serverCall,
        Metadata headers, ServerCallHandler<Q, R> next) {
      String method = serverCall.getMethodDescriptor().getFullMethodName();
      if (method.equals(HEALTH_PROBE)) {
        return next.startCall(serverCall, headers); // the proxy's own, on its own schedule
      }
      Call call = new Call(method, headers, Context.current().getDeadline());
      Context.current().addListener(c -> call.cancelled.countDown(), Runnable::run);
      synchronized (calls) {
        calls.add(call);
        calls.notifyAll();
      }
      boolean keepMessages = !method.equals(FLOOD) && !method.equals(SINK);
      ServerCall<Q, R> recording = new SimpleForwardingServerCall<>(serverCall) {
        @Override
        public void sendMessage(R message) {
          if (keepMessages) {
            call.responses.add((byte[]) message);
          }
          super.sendMessage(message);
        }
      };
      return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
        @Override
        public void onMessage(Q message) {
          if (keepMessages) {
            call.requests.add((byte[]) message);
          }
          super.onMessage(message);
        }

        @Override
        public void onCancel() {
          call.cancelled.countDown();
          super.onCancel();
        }
      };
    }
  }

  /** Any method not in {@code test.Echo}: request one message, run the behaviour on half-close. */
  private final class Fallback extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      ServerCallHandler<byte[], byte[]> handler = (call, headers) -> {
        call.request(1);
        return new ServerCall.Listener<>() {
          private byte[] request = new byte[0];

          @Override
          public void onMessage(byte[] message) {
            request = message;
          }

          @Override
          public void onHalfClose() {
            behaviours.getOrDefault(methodName, reply(new byte[0])).handle(call, request);
          }
        };
      };
      return ServerMethodDefinition.create(
          ProxyFixture.method(methodName, MethodType.UNKNOWN), handler);
    }
  }

  private ServerServiceDefinition echoService() {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(ProxyFixture.method(UNARY, MethodType.UNARY),
            ServerCalls.asyncUnaryCall((request, out) -> {
              out.onNext(reversed(request));
              out.onCompleted();
            }))
        .addMethod(ProxyFixture.method(SERVER_STREAM, MethodType.SERVER_STREAMING),
            ServerCalls.asyncServerStreamingCall((request, out) -> {
              for (int i = 0; i < request.length; i++) {
                out.onNext(ProxyFixture.randomBytes(1 + (request[i] & 0xff) * 97));
              }
              out.onCompleted();
            }))
        .addMethod(ProxyFixture.method(CLIENT_STREAM, MethodType.CLIENT_STREAMING),
            ServerCalls.asyncClientStreamingCall(out -> new Collecting(out)))
        .addMethod(ProxyFixture.method(BIDI, MethodType.BIDI_STREAMING),
            ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<byte[]>() {
              @Override
              public void onNext(byte[] value) {
                out.onNext(reversed(value));
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            }))
        .addMethod(ProxyFixture.method(FLOOD, MethodType.SERVER_STREAMING),
            ServerCalls.asyncServerStreamingCall(this::flood))
        .addMethod(ProxyFixture.method(SINK, MethodType.CLIENT_STREAMING),
            ServerCalls.asyncClientStreamingCall(this::sink))
        .build();
  }

  /** Sends {@code count} (the request's int) 64 KiB messages as fast as isReady allows. */
  private void flood(byte[] request, StreamObserver<byte[]> out) {
    int count = ByteBuffer.wrap(request).getInt();
    ServerCallStreamObserver<byte[]> stream = (ServerCallStreamObserver<byte[]>) out;
    int[] next = {0};
    stream.setOnReadyHandler(() -> {
      while (stream.isReady() && next[0] < count) {
        stream.onNext(floodMessage(next[0]++));
        floodSentBytes.addAndGet(FLOOD_MESSAGE_BYTES);
      }
      if (next[0] == count && floodDone.compareAndSet(false, true)) {
        stream.onCompleted();
      }
    });
  }

  /** Reads only as many messages as the test requests through {@link #sink}. */
  private StreamObserver<byte[]> sink(StreamObserver<byte[]> out) {
    ServerCallStreamObserver<byte[]> stream = (ServerCallStreamObserver<byte[]>) out;
    stream.disableAutoRequest();
    sink.complete(stream);
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        sinkReceived.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onNext(new byte[] {1});
        out.onCompleted();
      }
    };
  }

  static byte[] reversed(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }

  private static final class Collecting implements StreamObserver<byte[]> {
    private final StreamObserver<byte[]> out;
    private final List<byte[]> seen = new ArrayList<>();

    Collecting(StreamObserver<byte[]> out) {
      this.out = out;
    }

    @Override
    public void onNext(byte[] value) {
      seen.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      seen.forEach(all::writeBytes);
      out.onNext(all.toByteArray());
      out.onCompleted();
    }
  }
}
