package dev.temporalrbac.proxy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a real upstream, to stage its faults: {@link #pause()}
 * stops relaying bytes while every connection stays up (an upstream frozen by SIGSTOP: the kernel
 * still accepts and buffers), {@link #down()} closes the port and every connection (an upstream
 * that is gone), {@link #up()} listens on the same port again, {@link #holdNew(boolean)} accepts
 * new connections and never relays them, even later (a black hole in front of the upstream). Two
 * daemon threads per relayed connection; test use only.
 */
final class TcpRelay implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;
  private boolean paused;
  private volatile boolean holdNew;

  TcpRelay(String targetHostPort) throws IOException {
    String[] parts = targetHostPort.split(":");
    target = new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    listener = listen(0);
    port = listener.getLocalPort();
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /** While true, new connections are accepted and held open without a byte relayed, for ever. */
  void holdNew(boolean value) {
    holdNew = value;
  }

  /** Closes the port and every connection: new connections are refused. */
  synchronized void down() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Listens on the same port again. */
  void up() throws IOException {
    listener = listen(port);
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    daemon("relay-accept", () -> accept(server));
    return server;
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (holdNew) {
          sockets.add(client);
          continue;
        }
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        synchronized (this) {
          if (server.isClosed()) { // went down meanwhile
            client.close();
            upstream.close();
            return;
          }
          sockets.add(client);
          sockets.add(upstream);
        }
        daemon("relay-up", () -> pump(client, upstream));
        daemon("relay-down", () -> pump(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        awaitRunning();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed: close the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private synchronized void awaitRunning() throws InterruptedException {
    while (paused) {
      wait(1000);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    resume();
    down();
  }
}
