package dev.temporalrbac.proxy.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** HTTP/1.1 by hand over raw sockets, for clients a library would not let a test be. */
final class RawHttp {
  /** How long a read may wait before the test fails instead of hanging. */
  private static final int PATIENCE_MILLIS = 10_000;

  private RawHttp() {}

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(PATIENCE_MILLIS);
    return socket;
  }

  static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** {@code count} connections, each having sent the start of a request and no blank line. */
  static List<Socket> unfinishedRequests(int port, int count) throws IOException {
    List<Socket> sockets = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = connect(port);
        sockets.add(socket);
        write(socket, "GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Part: " + i + "\r\n");
      }
    } catch (IOException | RuntimeException e) {
      closeAll(sockets);
      throw e;
    }
    return sockets;
  }

  /** True when nothing arrives for a moment and the peer has not closed. */
  static boolean stillOpen(Socket socket) throws IOException {
    socket.setSoTimeout(10);
    try {
      return socket.getInputStream().read() != -1;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(PATIENCE_MILLIS);
    }
  }

  /** Everything the server sends until it closes the connection. */
  static String readUntilClosed(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }

  /** One answer: head and the body its Content-Length announces. */
  static String readAnswer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the headers: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  static void closeAll(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // the test is over with this socket either way
      }
    }
  }
}
