package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static dev.temporalrbac.proxy.server.ProxyFixture.auth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hop-by-hop headers never travel upstream, and loading the class that strips them logs nothing
 * (grpc warns, with a stack trace, whenever a {@code connection} metadata key is made).
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class UpstreamHeadersTest {
  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  @Test
  void loadingTheHeaderRulesLogsNoWarning() throws Exception {
    List<String> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getLevel() + " " + record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger metadataLog = Logger.getLogger(Metadata.class.getName());
    metadataLog.addHandler(handler);
    // a loader of its own, so the class is initialized here even if another test loaded it
    List<URL> path = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      path.add(new File(entry).toURI().toURL());
    }
    try (URLClassLoader fresh = new URLClassLoader(path.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      Class<?> rules = Class.forName(UpstreamCredentials.class.getName(), true, fresh);
      rules.getMethod("passthrough").invoke(null);
      assertNotEquals(UpstreamCredentials.class, rules, "not a fresh load");
    } finally {
      metadataLog.removeHandler(handler);
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void hopByHopHeadersAreDroppedAndEndToEndOnesKept() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder().netty().start()) {
      Metadata headers = auth(DEV);
      headers.put(key("host"), "evil.example");
      headers.put(key("x-end-to-end"), "kept");
      Status status = fx.unary(headers, START, ForwardingTest.startRequest("orders")).awaitClose();

      assertEquals(Status.Code.OK, status.getCode(), () -> "status " + status);
      Metadata arrived = fx.upstream.calls().get(0).headers;
      assertNull(arrived.get(key("host")), "host travelled upstream");
      assertEquals("kept", arrived.get(key("x-end-to-end")));
      assertEquals("Bearer " + DEV, arrived.get(ProxyFixture.AUTHORIZATION));
    }
  }

  /**
   * Connection-specific headers are forbidden in HTTP/2 and the transport refuses the request
   * before the proxy sees it: this is why the proxy need not name {@code connection} (making
   * that key here logs grpc's warning once, on the test's side).
   */
  @Test
  void connectionSpecificHeadersAreRefusedByTheTransport() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder().netty().start()) {
      for (String name : List.of("connection", "keep-alive", "transfer-encoding", "upgrade")) {
        Metadata headers = auth(DEV);
        headers.put(key(name), "x");
        Status status = fx.unary(headers, START, ForwardingTest.startRequest("orders"))
            .awaitClose();
        assertNotEquals(Status.Code.OK, status.getCode(), name);
      }
      assertTrue(fx.upstream.calls().isEmpty(), "a connection-specific header reached upstream");
    }
  }
}
