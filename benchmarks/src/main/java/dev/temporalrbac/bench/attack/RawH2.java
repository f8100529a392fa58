package dev.temporalrbac.bench.attack;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/2 client connection driven frame by frame (Netty's HTTP/2 codec, as shaded inside
 * grpc-netty-shaded), for what a well-behaved gRPC client never sends: several messages on a
 * unary call, a request declaring more bytes than allowed, pre-compressed bodies, HEADERS then
 * RST_STREAM at full speed.
 *
 * <p>Every write is handed to the connection's event loop; outcomes ({@link #outcome}) complete
 * on it. The peer's RST_STREAM frames are never limited here (a proxy may answer thousands).
 */
final class RawH2 implements AutoCloseable {
  private static final EventLoopGroup LOOP = new NioEventLoopGroup(2,
      new DefaultThreadFactory("raw-h2", true));

  /** GOAWAY received: its error code; never completes if none came. */
  final CompletableFuture<Long> goAway = new CompletableFuture<>();
  /** Completes when the TCP connection is closed. */
  final CompletableFuture<Void> closed = new CompletableFuture<>();
  final AtomicLong rstReceived = new AtomicLong();
  /** The last stream id a GOAWAY said was processed (written before {@link #goAway} completes). */
  volatile int goAwayLastStream = -1;
  private final Map<Integer, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger nextStream = new AtomicInteger(1);
  private final String authority;
  private Channel channel;
  private Http2ConnectionHandler handler;
  private ChannelHandlerContext ctx;

  private RawH2(String authority) {
    this.authority = authority;
  }

  static RawH2 connect(String host, int port, Duration timeout) throws Exception {
    RawH2 h2 = new RawH2(host + ":" + port);
    Bootstrap bootstrap = new Bootstrap().group(LOOP).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            h2.handler = new Http2ConnectionHandlerBuilder()
                .server(false)
                .frameListener(h2.new Listener())
                .decoderEnforceMaxRstFramesPerWindow(0, 0)
                .encoderEnforceMaxRstFramesPerWindow(0, 0)
                .build();
            ch.pipeline().addLast(h2.handler);
          }
        });
    h2.channel = bootstrap.connect(host, port).sync().channel();
    h2.ctx = h2.channel.pipeline().context(h2.handler);
    h2.channel.closeFuture().addListener(f -> {
      h2.closed.complete(null);
      h2.outcomes.values().forEach(o -> o.complete("connection closed"));
    });
    return h2;
  }

  /** Request headers of a gRPC call to {@code fullMethod}; add more with {@code extra}. */
  Http2Headers grpcHeaders(String fullMethod, String... extra) {
    Http2Headers h = new DefaultHttp2Headers()
        .method("POST").scheme("http").path("/" + fullMethod).authority(authority)
        .add("content-type", "application/grpc").add("te", "trailers");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      h.add(extra[i], extra[i + 1]);
    }
    return h;
  }

  /** A new client stream id, registered so that its outcome is recorded. */
  int newStream() {
    int id = nextStream.getAndAdd(2);
    outcomes.put(id, new CompletableFuture<>());
    return id;
  }

  /**
   * How the stream ended: {@code grpc-status:N} (trailers), {@code http:S} (a non-200 status
   * without grpc-status), {@code rst:CODE}, {@code goaway} or {@code connection closed}.
   */
  CompletableFuture<String> outcome(int stream) {
    return outcomes.get(stream);
  }

  /** HEADERS, then optionally one DATA frame with {@code body} (null: none). */
  CompletableFuture<Void> send(int stream, Http2Headers headers, ByteBuf body, boolean end) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      try {
        handler.encoder().writeHeaders(ctx, stream, headers, 0, body == null && end,
            ctx.newPromise().addListener(this::onWrite));
        if (body != null) {
          handler.encoder().writeData(ctx, stream, body, 0, end,
              ctx.newPromise().addListener(this::onWrite));
        }
        channel.flush(); // through the handler: it writes flow-controlled DATA on flush
        done.complete(null);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * HEADERS immediately followed by RST_STREAM(CANCEL) on {@code count} new streams, in one
   * event-loop task and one flush: the Rapid Reset pattern. Returns the streams written.
   */
  CompletableFuture<Integer> headersThenReset(Http2Headers headers, int count) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      int written = 0;
      for (; written < count && channel.isActive() && !goAway.isDone(); written++) {
        int id = nextStream.getAndAdd(2);
        handler.encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
        handler.resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
      }
      channel.flush(); // through the handler: it writes flow-controlled DATA on flush
      done.complete(written);
    });
    return done;
  }

  /** The first failed write, for the report (a refused stream is an outcome, not an error). */
  volatile String writeFailure;

  private void onWrite(io.grpc.netty.shaded.io.netty.util.concurrent.Future<? super Void> f) {
    if (!f.isSuccess() && writeFailure == null) {
      writeFailure = String.valueOf(f.cause());
      System.err.println("raw-h2 write failed: " + f.cause());
    }
  }

  boolean writable() {
    return channel.isWritable();
  }

  boolean active() {
    return channel.isActive();
  }

  /** A gRPC length-prefixed message: flag byte, 4-byte length, body. */
  static ByteBuf frame(byte[] body, boolean compressed) {
    ByteBuffer b = ByteBuffer.allocate(5 + body.length);
    b.put((byte) (compressed ? 1 : 0)).putInt(body.length).put(body);
    return Unpooled.wrappedBuffer(b.array());
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(ChannelHandlerContext c, int stream, ByteBuf data, int padding,
        boolean end) {
      if (end) {
        complete(stream, "end without trailers");
      }
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int stream, Http2Headers headers,
        int padding, boolean end) {
      onHeaders(stream, headers, end);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int stream, Http2Headers headers,
        int dependency, short weight, boolean exclusive, int padding, boolean end) {
      onHeaders(stream, headers, end);
    }

    private void onHeaders(int stream, Http2Headers headers, boolean end) {
      CharSequence status = headers.get("grpc-status");
      CharSequence http = headers.status();
      if (status != null) {
        complete(stream, "grpc-status:" + status);
      } else if (http != null && !"200".contentEquals(http)) {
        complete(stream, "http:" + http);
      } else if (end) {
        complete(stream, "end without grpc-status");
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext c, int stream, long errorCode) {
      rstReceived.incrementAndGet();
      complete(stream, "rst:" + errorCode);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext c, int lastStream, long errorCode,
        ByteBuf debugData) {
      goAwayLastStream = lastStream;
      goAway.complete(errorCode);
      outcomes.forEach((id, o) -> {
        if (id > lastStream) {
          o.complete("goaway");
        }
      });
    }

    private void complete(int stream, String outcome) {
      CompletableFuture<String> o = outcomes.get(stream);
      if (o != null) {
        o.complete(outcome);
      }
    }
  }
}
