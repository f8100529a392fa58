package dev.temporalrbac.proxy.server;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's transport threads: one event-loop group shared by the listening side and the
 * upstream side (epoll where the platform has it, NIO elsewhere), so a call can be served by one
 * thread from end to end instead of being handed between a server loop and a client loop.
 */
final class EventLoops implements AutoCloseable {
  private final boolean epoll = Epoll.isAvailable();
  final EventLoopGroup boss;
  final EventLoopGroup workers;

  EventLoops(int threads) {
    boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("proxy-accept", true))
        : new NioEventLoopGroup(1, new DefaultThreadFactory("proxy-accept", true));
    workers = epoll ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("proxy-io", true))
        : new NioEventLoopGroup(threads, new DefaultThreadFactory("proxy-io", true));
  }

  Class<? extends ServerChannel> serverChannelType() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  Class<? extends Channel> clientChannelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public void close() {
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
  }
}
