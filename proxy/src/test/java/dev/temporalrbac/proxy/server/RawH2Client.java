package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A raw HTTP/2 client for abuse tests, built on Netty's HTTP/2 frame codec with no connection
 * state machine: it sends whatever frames a test asks for (RST_STREAM floods, header lists past
 * the peer's limit) and records what comes back. Blocking socket I/O on the test thread; the
 * codec writes into an {@link EmbeddedChannel}, whose bytes are copied to the socket. Not
 * thread-safe.
 */
final class RawH2Client implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final EmbeddedChannel embedded = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = embedded.pipeline().firstContext();
  /** Ignores the peer's SETTINGS_MAX_HEADER_LIST_SIZE, so oversized header lists go out. */
  private final DefaultHttp2FrameWriter writer =
      new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private final DefaultHttp2FrameReader reader =
      new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false, 1 << 20));
  private final ByteBuf received = Unpooled.buffer();
  private final Listener listener = new Listener();

  /** The GOAWAY received, if any. */
  Http2Error goAwayError;
  String goAwayDebug;
  /** RST_STREAM error code and response headers received, by stream. */
  final Map<Integer, Long> resets = new HashMap<>();
  final Map<Integer, Http2Headers> responses = new HashMap<>();
  /** True once the peer closed the connection. */
  boolean closed;
  private long lastPingAck = -1;

  RawH2Client(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(50);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** Sends the client preface: the magic string and an empty SETTINGS frame. */
  RawH2Client preface() throws IOException {
    ctx.write(Http2CodecUtil.connectionPrefaceBuf());
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    return flush();
  }

  /** Sends raw bytes (e.g. part of the preface). */
  RawH2Client raw(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return this;
  }

  /** The request headers of a gRPC call to {@code fullMethod}, plus {@code extra}. */
  static Http2Headers grpcRequest(String fullMethod, Map<String, String> extra) {
    Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http")
        .path("/" + fullMethod).authority("localhost")
        .add("content-type", "application/grpc").add("te", "trailers");
    extra.forEach(headers::add);
    return headers;
  }

  RawH2Client headers(int streamId, Http2Headers headers, boolean endStream) throws IOException {
    writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
    return flush();
  }

  RawH2Client rstStream(int streamId) throws IOException {
    writer.writeRstStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
    return flush();
  }

  /** Sends a PING and reads until its ACK, GOAWAY or close: frames before it have been handled. */
  boolean pingPong(long data, Duration timeout) throws IOException {
    writer.writePing(ctx, false, data, ctx.newPromise());
    flush();
    readUntil(() -> lastPingAck == data || goAwayError != null, timeout);
    return lastPingAck == data;
  }

  private RawH2Client flush() throws IOException {
    ctx.flush();
    for (Object message; (message = embedded.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) message;
      try {
        buf.readBytes(out, buf.readableBytes());
      } finally {
        buf.release();
      }
    }
    out.flush();
    return this;
  }

  /**
   * Reads frames until {@code done} holds, the peer closes, or {@code timeout} passes; answers
   * SETTINGS and PING as a well-behaved client does.
   */
  void readUntil(BooleanSupplier done, Duration timeout) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    byte[] chunk = new byte[16 * 1024];
    while (!done.getAsBoolean() && !closed && System.nanoTime() < end) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        closed = true; // reset by the peer
        return;
      }
      if (n < 0) {
        closed = true;
        return;
      }
      received.writeBytes(chunk, 0, n);
      try {
        reader.readFrame(ctx, received, listener);
      } catch (Http2Exception e) {
        throw new IOException("bad frame from the server", e);
      }
      received.discardReadBytes();
      try {
        flush(); // our SETTINGS and PING acknowledgements
      } catch (IOException e) {
        closed = true;
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    received.release();
    embedded.finishAndReleaseAll();
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
      writer.writeSettingsAck(ctx, ctx.newPromise());
    }

    @Override
    public void onPingRead(ChannelHandlerContext c, long data) {
      writer.writePing(ctx, true, data, ctx.newPromise());
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext c, long data) {
      lastPingAck = data;
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode,
        ByteBuf debugData) {
      goAwayError = Http2Error.valueOf(errorCode);
      goAwayDebug = debugData.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
      resets.put(streamId, errorCode);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) {
      responses.putIfAbsent(streamId, headers);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(c, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      return data.readableBytes() + padding;
    }
  }
}
