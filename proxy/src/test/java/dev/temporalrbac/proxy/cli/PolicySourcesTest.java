package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import dev.temporalrbac.proxy.config.PolicySourceSettings;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.PolicyWatcher;
import dev.temporalrbac.proxy.policy.ReloadListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The first load as serve runs it: a URL whose read fails in any way starts not ready. */
class PolicySourcesTest {
  @Test
  void aUrlRedirectingToALocationThatIsNoUrlStartsNotReady() throws Exception {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/p.yaml", exchange -> {
      exchange.getResponseHeaders().set("Location", "/new policy.yaml");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/p.yaml";
      PolicySourceSettings settings = new PolicySourceSettings(PolicySourceSettings.Kind.URL,
          url, null, null, null, Duration.ofSeconds(5), 1 << 20);
      PolicyHolder holder = new PolicyHolder(null);
      PolicyWatcher watcher = PolicySources.watcher(settings, holder, ReloadListener.NONE,
          Clock.systemUTC(), Duration.ZERO);
      PolicySources.loadInitial(watcher, settings, "policy"); // no exception: serve goes on
      assertNull(holder.current());
      assertEquals(url + " redirects to a Location that is not a valid URL (Illegal character in"
          + " path at index 4); not followed", holder.problem());
      assertEquals(1, watcher.status().failed());
    } finally {
      server.stop(0);
    }
  }
}
