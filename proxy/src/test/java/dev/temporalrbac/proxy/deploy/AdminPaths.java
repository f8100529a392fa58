package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.proxy.admin.AdminLimits;
import dev.temporalrbac.proxy.admin.AdminServer;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The real admin port of a ready proxy (a policy loaded, the upstream ready), on a free loopback
 * port, asked for a path as the kubelet or Prometheus would: what status does it answer? Closed
 * with the test.
 */
final class AdminPaths implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AdminServer server;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  AdminPaths() throws Exception {
    PolicyHolder ready = new PolicyHolder(PolicyLoader.parse(
        "service_accounts:\n  - id: probe\n    role: read_only\n".getBytes(StandardCharsets.UTF_8),
        "probe-policy.yaml", Instant.now()));
    server = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        () -> "# no metrics in this test\n", ready, () -> true, AdminLimits.DEFAULTS);
  }

  /** The status a GET of {@code path} gets. */
  int status(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(TIMEOUT)
        .GET()
        .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public void close() {
    server.close();
  }
}
