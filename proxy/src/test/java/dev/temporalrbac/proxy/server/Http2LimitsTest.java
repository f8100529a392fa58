package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 abuse limits of the listening side ({@code limits.*}), seen by a raw HTTP/2 client
 * that breaks the rules on purpose.
 */
@Timeout(60)
class Http2LimitsTest {
  private static final String SYSTEM_INFO = ProxyFixture.SYSTEM_INFO;
  private static final String CLUSTER_INFO = ProxyFixture.CLUSTER_INFO;
  private static final Map<String, String> AUTH = Map.of("authorization", "Bearer " + DEV);

  private RecordingUpstream upstream;
  private ProxyServer proxy;

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private int start(Map<String, String> limits) throws Exception {
    upstream = RecordingUpstream.netty();
    Map<String, String> flags = new HashMap<>(limits);
    flags.put("listen", "127.0.0.1:0");
    flags.put("upstream", upstream.target());
    flags.put("policy", "unused.yaml");
    flags.put("admin", "127.0.0.1:0");
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, flags);
    proxy = ProxyServer.start(config, new Authorizer(MethodCatalog.load(), Clock.systemUTC()),
        new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml())), CallObserver.NONE);
    return proxy.port();
  }

  private long callsTo(String method) {
    return upstream.calls().stream().filter(c -> c.method.equals(method)).count();
  }

  @Test
  void rapidResetPastTheLimitEndsTheConnectionWithGoAway() throws Exception {
    int port = start(Map.of("max-resets-per-window", "20", "reset-window", "60s"));
    try (RawH2Client client = new RawH2Client(port).preface()) {
      int stream = 1;
      for (int i = 0; i < 20; i++, stream += 2) {
        client.headers(stream, RawH2Client.grpcRequest(SYSTEM_INFO, AUTH), false);
        client.rstStream(stream);
      }
      assertTrue(client.pingPong(1, Duration.ofSeconds(10)), "no PING ACK after 20 resets");
      assertNull(client.goAwayError, "GOAWAY at the limit, not past it: " + client.goAwayDebug);

      client.headers(stream, RawH2Client.grpcRequest(SYSTEM_INFO, AUTH), false);
      client.rstStream(stream);
      client.readUntil(() -> client.goAwayError != null, Duration.ofSeconds(10));

      assertEquals(Http2Error.ENHANCE_YOUR_CALM, client.goAwayError);
      assertEquals("too_many_rststreams", client.goAwayDebug);
      client.readUntil(() -> false, Duration.ofSeconds(10));
      assertTrue(client.closed, "the connection should be closed after the GOAWAY");
    }
  }

  /**
   * Netty refuses a header list over the limit with HTTP 431 and keeps the connection; one over
   * 1.25 times the limit ends the connection (GOAWAY), since decoding it costs too much.
   */
  @Test
  void oversizedHeaderListIsRefusedBeforeTheCallStarts() throws Exception {
    int port = start(Map.of("max-header-list-bytes", "8192"));
    try (RawH2Client client = new RawH2Client(port).preface()) {
      client.headers(1, RawH2Client.grpcRequest(SYSTEM_INFO, Map.of()), true);
      client.readUntil(() -> client.responses.containsKey(1), Duration.ofSeconds(10));
      assertEquals("200", String.valueOf(client.responses.get(1).status()),
          "a header list under the limit should be answered");

      client.headers(3, RawH2Client.grpcRequest(CLUSTER_INFO, padded(9 * 1024)), true);
      client.readUntil(() -> client.responses.containsKey(3) || client.resets.containsKey(3),
          Duration.ofSeconds(10));
      assertEquals("431", String.valueOf(client.responses.get(3).status()));
      assertTrue(client.pingPong(1, Duration.ofSeconds(10)), "the connection should go on");

      client.headers(5, RawH2Client.grpcRequest(CLUSTER_INFO, padded(16 * 1024)), true);
      client.readUntil(() -> client.goAwayError != null, Duration.ofSeconds(10));
      assertEquals(Http2Error.PROTOCOL_ERROR, client.goAwayError);
      assertEquals(0, callsTo(CLUSTER_INFO), "nothing may reach the upstream");
    }
  }

  private static Map<String, String> padded(int bytes) {
    Map<String, String> headers = new HashMap<>(AUTH);
    headers.put("x-padding", "p".repeat(bytes));
    return headers;
  }

  @Test
  void idleConnectionIsClosedWithGoAway() throws Exception {
    int port = start(Map.of("idle-timeout", "1s"));
    try (RawH2Client client = new RawH2Client(port).preface()) {
      assertTrue(client.pingPong(1, Duration.ofSeconds(10)), "the handshake did not complete");
      client.readUntil(() -> false, Duration.ofSeconds(20));
      assertEquals(Http2Error.NO_ERROR, client.goAwayError);
      assertTrue(client.closed, "an idle connection should be closed");
    }
  }

  @Test
  void connectionThatNeverSendsThePrefaceIsClosed() throws Exception {
    int port = start(Map.of("handshake-timeout", "500ms"));
    try (RawH2Client silent = new RawH2Client(port);
        RawH2Client halfway = new RawH2Client(port).raw("PRI * HTTP/2.0\r\n")) {
      silent.readUntil(() -> false, Duration.ofSeconds(20));
      halfway.readUntil(() -> false, Duration.ofSeconds(20));
      assertTrue(silent.closed, "a connection that sends nothing should be closed");
      assertTrue(halfway.closed, "a connection that stops in the preface should be closed");
    }
  }

  @Test
  void completedHandshakeIsNotClosedByTheHandshakeTimeout() throws Exception {
    int port = start(Map.of("handshake-timeout", "500ms"));
    try (RawH2Client client = new RawH2Client(port).preface()) {
      assertTrue(client.pingPong(1, Duration.ofSeconds(10)), "the handshake did not complete");
      client.readUntil(() -> false, Duration.ofSeconds(2));
      assertFalse(client.closed, "a connection past the handshake was closed");
      assertTrue(client.pingPong(2, Duration.ofSeconds(10)), "the connection stopped answering");
    }
  }
}
