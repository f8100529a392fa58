package dev.temporalrbac.proxy.policy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: serves a JWKS file over loopback http and counts the GETs. Close to stop it. */
final class CountingJwks implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger gets = new AtomicInteger();

  CountingJwks(Path file) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks.json", exchange -> {
      gets.incrementAndGet();
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
  }

  /** How many times the JWKS was fetched. */
  int gets() {
    return gets.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
