package dev.temporalrbac.proxy.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves two protocols on one port. It accepts connections on a listening socket, reads the first
 * bytes of each and splices the connection to one of two loopback backends: the HTTP/2 client
 * preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n} (what a gRPC client sends first) goes to the
 * gRPC server, anything else to the HTTP/1.1 server. The peeked bytes are passed on unchanged.
 *
 * <p>Plain blocking sockets: one accept thread of its own, and per connection two tasks on the
 * bounded executor given (one per direction). When the executor is full a new connection is
 * closed at once. A splice ends when the backend ends, when either side fails, or on
 * {@link #close()}: both sockets are then closed. The end of the client's data is passed on as a
 * half-close, so the backend may still answer before it closes.
 *
 * <p>{@link #start()} and {@link #close()} may be called from any thread, once each.
 */
final class ProtocolSplitter implements AutoCloseable {
  static final byte[] HTTP2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** How long a new connection may take to send its first bytes. */
  private static final int PEEK_TIMEOUT_MILLIS = 10_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final Logger LOG = Logger.getLogger(ProtocolSplitter.class.getName());

  private final ServerSocket listener;
  private final InetSocketAddress http;
  private final InetSocketAddress grpc;
  private final ExecutorService pool;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  ProtocolSplitter(ServerSocket listener, InetSocketAddress http, InetSocketAddress grpc,
      ExecutorService pool) {
    this.listener = listener;
    this.http = http;
    this.grpc = grpc;
    this.pool = pool;
    this.acceptor = new Thread(this::acceptLoop, "admin-accept-" + listener.getLocalPort());
    this.acceptor.setDaemon(true);
  }

  void start() {
    acceptor.start();
  }

  /** Stops accepting and closes every spliced connection. */
  @Override
  public void close() {
    closed = true;
    quietly(listener);
    for (Socket socket : open) {
      quietly(socket);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed || listener.isClosed()) {
          return;
        }
        // e.g. out of file descriptors: keep serving once it passes, without spinning
        LOG.log(Level.WARNING, "the admin listener could not accept a connection", e);
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      track(client);
      try {
        pool.execute(() -> route(client));
      } catch (RejectedExecutionException e) {
        LOG.fine("admin connection refused: too many connections");
        release(client);
      }
    }
  }

  /** Peeks at the first bytes, connects to the backend they call for, then splices. */
  private void route(Socket client) {
    Socket backend = null;
    try {
      client.setSoTimeout(PEEK_TIMEOUT_MILLIS);
      byte[] first = new byte[HTTP2_PREFACE.length];
      int length = peek(client.getInputStream(), first);
      if (length == 0) {
        release(client);
        return;
      }
      client.setSoTimeout(0);
      client.setTcpNoDelay(true);
      backend = new Socket();
      track(backend);
      if (closed) {
        throw new SocketException("closed");
      }
      boolean http2 = length == HTTP2_PREFACE.length && startsLikePreface(first, length);
      backend.connect(http2 ? grpc : http, CONNECT_TIMEOUT_MILLIS);
      backend.setTcpNoDelay(true);
      backend.getOutputStream().write(first, 0, length);
      backend.getOutputStream().flush();
      Socket target = backend;
      AtomicBoolean ended = new AtomicBoolean();
      pool.execute(() -> pump(target, client, true, ended, client, target));
      pump(client, backend, false, ended, client, backend);
    } catch (IOException | RejectedExecutionException e) {
      LOG.log(Level.FINE, "admin connection ended early", e);
      release(client);
      if (backend != null) {
        release(backend);
      }
    }
  }

  /**
   * Reads until the bytes are the whole preface, stop matching it, or the stream ends; returns
   * how many were read.
   */
  private static int peek(InputStream in, byte[] into) throws IOException {
    int length = 0;
    while (length < into.length && startsLikePreface(into, length)) {
      int read = in.read(into, length, into.length - length);
      if (read < 0) {
        break;
      }
      length += read;
    }
    return length;
  }

  /** Whether the first {@code length} bytes agree with the start of the HTTP/2 preface. */
  static boolean startsLikePreface(byte[] bytes, int length) {
    if (length > HTTP2_PREFACE.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[i] != HTTP2_PREFACE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies {@code from} to {@code to} until {@code from} ends. The backend ending (or any failure)
   * ends the splice; the client ending is passed on as a half-close.
   */
  private void pump(Socket from, Socket to, boolean fromBackend, AtomicBoolean ended,
      Socket client, Socket backend) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        out.write(buffer, 0, read);
        out.flush();
      }
      if (!fromBackend) {
        to.shutdownOutput();
        return;
      }
    } catch (IOException e) {
      LOG.log(Level.FINEST, "admin splice ended", e);
    }
    if (ended.compareAndSet(false, true)) {
      finish(client);
      finish(backend);
    }
  }

  /** Sends what is written and the end of stream, then closes. */
  private void finish(Socket socket) {
    try {
      if (!socket.isClosed() && !socket.isOutputShutdown()) {
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // already gone: closing is all that is left
    }
    release(socket);
  }

  private void track(Socket socket) {
    open.add(socket);
    if (closed) {
      quietly(socket);
    }
  }

  private void release(Socket socket) {
    open.remove(socket);
    quietly(socket);
  }

  private static void quietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing on the way out: nothing more to do
    }
  }
}
