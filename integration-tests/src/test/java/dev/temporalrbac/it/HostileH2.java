package dev.temporalrbac.it;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client connection written frame by frame (Netty's codec shaded in grpc-netty-shaded)
 * for {@link HostileInputTest}: what grpc-java's client never sends. Writes run on the
 * connection's event loop; stream outcomes complete there.
 */
final class HostileH2 implements AutoCloseable {
  private final EventLoopGroup loop = new NioEventLoopGroup(1);
  private final Map<Integer, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
  /** Completes with the error code of a GOAWAY from the server. */
  final CompletableFuture<Long> goAway = new CompletableFuture<>();
  private final String authority;
  private int nextStream = 1;
  private Channel channel;
  private Http2ConnectionHandler handler;
  private ChannelHandlerContext ctx;

  HostileH2(int port) throws InterruptedException {
    authority = "127.0.0.1:" + port;
    channel = new Bootstrap().group(loop).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            handler = new Http2ConnectionHandlerBuilder().server(false)
                .frameListener(new Listener())
                .decoderEnforceMaxRstFramesPerWindow(0, 0)
                .encoderEnforceMaxRstFramesPerWindow(0, 0)
                .build();
            ch.pipeline().addLast(handler);
          }
        }).connect("127.0.0.1", port).sync().channel();
    ctx = channel.pipeline().context(handler);
    channel.closeFuture().addListener(f ->
        outcomes.values().forEach(o -> o.complete("connection closed")));
  }

  /** Headers of a gRPC call to {@code fullMethod} with the given authorization. */
  Http2Headers headers(String fullMethod, String authorization) {
    return new DefaultHttp2Headers().method("POST").scheme("http").path("/" + fullMethod)
        .authority(authority).add("content-type", "application/grpc").add("te", "trailers")
        .add("authorization", authorization);
  }

  /** A gRPC length-prefixed message declaring {@code declared} bytes, followed by {@code body}. */
  static ByteBuf message(int declared, byte[] body) {
    return Unpooled.wrappedBuffer(ByteBuffer.allocate(5 + body.length)
        .put((byte) 0).putInt(declared).put(body).array());
  }

  /**
   * Opens a stream: HEADERS, then DATA with {@code data} (ending the stream when {@code end}).
   * Returns how the stream ends: {@code grpc-status:N}, {@code rst:CODE}, {@code goaway} or
   * {@code connection closed}.
   */
  CompletableFuture<String> call(Http2Headers headers, ByteBuf data, boolean end) throws Exception {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    channel.eventLoop().submit(() -> {
      int id = nextStream;
      nextStream += 2;
      outcomes.put(id, outcome);
      handler.encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
      handler.encoder().writeData(ctx, id, data, 0, end, ctx.newPromise());
      channel.flush();
    }).get(10, TimeUnit.SECONDS);
    return outcome;
  }

  /** {@code count} streams opened with HEADERS and at once reset (RST_STREAM CANCEL). */
  void headersThenReset(Http2Headers headers, int count) throws Exception {
    channel.eventLoop().submit(() -> {
      for (int i = 0; i < count && channel.isActive() && !goAway.isDone(); i++) {
        int id = nextStream;
        nextStream += 2;
        handler.encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
        handler.resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
      }
      channel.flush();
    }).get(10, TimeUnit.SECONDS);
  }

  boolean active() {
    return channel.isActive();
  }

  /** Completes when the connection is closed, by either side. */
  CompletableFuture<Void> closed() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(ChannelHandlerContext c, int stream, ByteBuf data, int padding,
        boolean end) {
      return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int stream, Http2Headers headers,
        int padding, boolean end) {
      CharSequence status = headers.get("grpc-status");
      if (status != null) {
        complete(stream, "grpc-status:" + status);
      } else if (headers.status() != null && !"200".contentEquals(headers.status())) {
        complete(stream, "http:" + headers.status());
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int stream, Http2Headers headers,
        int dependency, short weight, boolean exclusive, int padding, boolean end) {
      onHeadersRead(c, stream, headers, padding, end);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext c, int stream, long errorCode) {
      complete(stream, "rst:" + errorCode);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext c, int lastStream, long errorCode,
        ByteBuf debugData) {
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
