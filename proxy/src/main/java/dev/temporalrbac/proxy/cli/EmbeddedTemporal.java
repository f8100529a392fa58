package dev.temporalrbac.proxy.cli;

import io.grpc.ManagedChannel;
import io.temporal.testserver.TestServer;
import java.util.logging.Logger;

/**
 * "Try it now" mode: with no upstream configured, {@code serve} forwards to Temporal's own Java
 * test server running in this process. It is reached through an in-process channel only, so the
 * unauthenticated server is never exposed on the network and every call goes through the proxy.
 */
final class EmbeddedTemporal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedTemporal.class.getName());

  private final TestServer.InProcessTestServer server;

  private EmbeddedTemporal(TestServer.InProcessTestServer server) {
    this.server = server;
  }

  static EmbeddedTemporal start() {
    LOG.warning("no upstream configured: forwarding to an embedded Temporal test server in this"
        + " process. This is for trying the proxy out, NOT for production: it keeps everything"
        + " in memory and loses it on exit. Set upstream.target (or --upstream) to your Temporal"
        + " frontend.");
    return new EmbeddedTemporal(TestServer.createServer(true));
  }

  /** A channel to the embedded server; the proxy takes ownership of it. */
  ManagedChannel channel() {
    return server.getChannel();
  }

  @Override
  public void close() {
    server.close();
  }
}
