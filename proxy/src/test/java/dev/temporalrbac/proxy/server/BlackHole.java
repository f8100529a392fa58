package dev.temporalrbac.proxy.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An "upstream" that accepts TCP connections and never reads or writes a byte: the HTTP/2
 * handshake never completes. One daemon accept thread; test use only.
 */
final class BlackHole implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  BlackHole() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          accepted.add(server.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "black-hole");
    thread.setDaemon(true);
    thread.start();
  }

  String target() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getLocalSocketAddress()).getPort();
  }

  int accepted() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
