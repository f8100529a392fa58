package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The plaintext listener's protocol negotiation: gRPC's own, behind a look at a connection's
 * first three bytes. A TLS client hello there (a client with TLS switched on, which most SDKs do
 * by themselves when given an API key) would otherwise surface as an obscure HTTP/2 preface
 * error; instead the connection is closed and a warning says what happened and what to change.
 * Anyone who can connect can send a client hello, so the warning is written at most once per
 * {@link #WARN_EVERY}, counting the ones left out.
 *
 * <p>Thread-safe: handlers run on the connections' event loops and share only the rate limit.
 */
final class TlsOnPlaintextPort implements InternalProtocolNegotiator.ProtocolNegotiator {
  private static final Logger LOG = Logger.getLogger(TlsOnPlaintextPort.class.getName());
  static final Duration WARN_EVERY = Duration.ofMinutes(1);

  private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
      InternalProtocolNegotiators.serverPlaintext();
  private final LongSupplier nanoClock;
  /** {@link #nanoClock} time before which no further warning is written. */
  private final AtomicLong quietUntil;
  private final AtomicLong leftOut = new AtomicLong();

  TlsOnPlaintextPort(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.quietUntil = new AtomicLong(nanoClock.getAsLong());
  }

  @Override
  public AsciiString scheme() {
    return plaintext.scheme();
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return firstBytes(plaintext.newHandler(grpcHandler));
  }

  /** The handler that looks at a connection's first bytes, then gives way to {@code next}. */
  ChannelHandler firstBytes(ChannelHandler next) {
    return new FirstBytes(next);
  }

  @Override
  public void close() {
    plaintext.close();
  }

  /** A TLS record of type handshake (22), version 3.x: how every TLS client hello starts. */
  static boolean isTlsHello(ByteBuf in) {
    int at = in.readerIndex();
    return in.getUnsignedByte(at) == 0x16 && in.getUnsignedByte(at + 1) == 0x03
        && in.getUnsignedByte(at + 2) <= 0x04;
  }

  private void warn(SocketAddress local, SocketAddress remote) {
    long now = nanoClock.getAsLong();
    long until = quietUntil.get();
    if (now - until < 0 || !quietUntil.compareAndSet(until, now + WARN_EVERY.toNanos())) {
      leftOut.incrementAndGet();
      return;
    }
    long others = leftOut.getAndSet(0);
    LOG.warning("a TLS client hello reached the plaintext port " + port(local) + " from "
        + host(remote) + ": the client uses TLS but this listener has no tls: section (set"
        + " tls.cert and tls.key), or the client should use plaintext; connection closed"
        + (others == 0 ? "" : " (" + others + " more since the last such warning)"));
  }

  private static String port(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? String.valueOf(inet.getPort())
        : String.valueOf(address);
  }

  private static String host(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getHostString()
        : String.valueOf(address);
  }

  /**
   * Sits in front of gRPC's negotiation handler until three bytes have arrived: then either
   * closes the connection (a TLS hello) or steps aside, handing on what it read.
   */
  private final class FirstBytes extends ByteToMessageDecoder {
    private final ChannelHandler next;

    FirstBytes(ChannelHandler next) {
      this.next = next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addAfter(ctx.name(), null, next);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (in.readableBytes() < 3) {
        return;
      }
      if (isTlsHello(in)) {
        in.skipBytes(in.readableBytes());
        warn(ctx.channel().localAddress(), ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      ctx.pipeline().remove(this); // hands the bytes read so far on to gRPC
    }
  }
}
