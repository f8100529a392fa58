package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.server.EnforcementMode;
import dev.temporalrbac.proxy.server.UpstreamCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static Map<String, String> flags(String... pairs) {
    return Flags.of(pairs);
  }

  @Test
  void defaultsApplyWhenOnlyThePolicyIsGiven() throws Exception {
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, flags());
    assertEquals(7233, config.listen().getPort());
    assertEquals("127.0.0.1", config.admin().getHostString());
    assertEquals(9090, config.admin().getPort());
    assertEquals(EnforcementMode.ENFORCE, config.mode());
    assertEquals(UpstreamCredentials.Mode.PASSTHROUGH, config.credentials().mode());
    assertEquals(Duration.ofSeconds(30), config.shutdownGrace());
    assertEquals(Duration.ofSeconds(2), config.reloadInterval());
    assertEquals("deny", config.audit());
    assertNull(config.upstreamTls());
    assertNull(config.downstreamTls());
  }

  @Test
  void fileSettingsAreReadAndFlagsWin() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, "listen: 127.0.0.1:8000\nupstream:\n  target: up:7233\n"
        + "mode: dry_run\npolicy:\n  file: p.yaml\n  reload_interval: 500ms\n"
        + "limits:\n  max_request_bytes: 1024\n  request_buffer_bytes: 4096\n");
    ProxyConfig config = new ConfigLoader(Map.of()).load(file, Map.of("listen", "127.0.0.1:9000"));
    assertEquals(9000, config.listen().getPort());
    assertEquals("up:7233", config.upstream());
    assertEquals(EnforcementMode.DRY_RUN, config.mode());
    assertEquals(dir.resolve("p.yaml"), config.policy().path()); // next to proxy.yaml
    assertEquals(Duration.ofMillis(500), config.reloadInterval());
    assertEquals(1024, config.limits().maxRequestBytes());
    assertEquals(4096, config.limits().requestBufferBytes());
  }

  @Test
  void replaceModeReadsTheKeyFromTheEnvironmentAndNeverNeedsTheCaller() throws Exception {
    ProxyConfig config = new ConfigLoader(Map.of("PROXY_KEY", "proxy-secret")).load(null,
        flags("credentials", "replace", "upstream-api-key-env", "PROXY_KEY"));
    assertEquals(UpstreamCredentials.Mode.REPLACE, config.credentials().mode());
    assertTrue(!config.credentials().toString().contains("proxy-secret"));
  }

  @Test
  void replaceModeReadsTheKeyFromAFile() throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "file-secret\n");
    ProxyConfig config = new ConfigLoader(Map.of()).load(null,
        flags("credentials", "replace", "upstream-api-key-file", key.toString()));
    assertEquals(UpstreamCredentials.Mode.REPLACE, config.credentials().mode());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of("mode", "audit"), "enforce or dry_run"),
        Arguments.of(Map.of("listen", "nohost"), "host:port"),
        Arguments.of(Map.of("listen", "h:70000"), "outside"),
        Arguments.of(Map.of("shutdown-grace", "soon"), "duration"),
        Arguments.of(Map.of("shutdown-grace", "1d"), "500ms, 30s, 2m or 1h"),
        Arguments.of(Map.of("shutdown-grace", "99999999999999999m"), "outside"),
        Arguments.of(Map.of("idle-timeout", "9223372036854775807ms"), "outside"),
        Arguments.of(Map.of("max-request-bytes", "0"), "outside"),
        Arguments.of(Map.of("audit", "loud"), "deny, all or off"),
        Arguments.of(Map.of("credentials", "borrow"), "passthrough, replace, strip or mint"),
        Arguments.of(Map.of("credentials", "replace"), "exactly one of"),
        Arguments.of(Map.of("credentials", "replace", "upstream-api-key-env", "UNSET"), "empty"),
        Arguments.of(Map.of("tls-cert", "c.pem"), "both tls.cert and tls.key"),
        Arguments.of(Map.of("upstream-ca", "ca.pem"), "upstream.tls.enabled"),
        Arguments.of(Map.of("upstream-key", "k.pem"), "upstream.tls.enabled"),
        Arguments.of(Map.of("upstream-tls", "true", "upstream-cert", "c.pem"),
            "both upstream.tls.cert and upstream.tls.key"),
        Arguments.of(Map.of("upstream-tls", "maybe"), "true or false"),
        Arguments.of(Map.of("upstream-keepalive-time", "5s"),
            "upstream.keepalive_time: must be at least 10s (grpc-java's shortest keepalive time)"),
        Arguments.of(Map.of("idle-timeout", "500ms"),
            "limits.idle_timeout: must be at least 1s"),
        Arguments.of(Map.of("reset-window", "1500ms"), "whole seconds"));
  }

  @Test
  void durationsTakeMillisecondsSecondsMinutesAndHours() throws Exception {
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, flags("shutdown-grace", "2h",
        "idle-timeout", "90m", "reload-interval", "250ms", "handshake-timeout", "7s"));
    assertEquals(Duration.ofHours(2), config.shutdownGrace());
    assertEquals(Duration.ofMinutes(90), config.limits().idleTimeout());
    assertEquals(Duration.ofMillis(250), config.reloadInterval());
    assertEquals(Duration.ofSeconds(7), config.limits().handshakeTimeout());
  }

  @Test
  void abuseLimitsAndUpstreamHealthHaveSafeDefaults() throws Exception {
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, flags());
    ProxyConfig.Limits limits = config.limits();
    assertEquals(32 * 1024, limits.maxHeaderListBytes());
    assertEquals(500, limits.maxResetsPerWindow());
    assertEquals(Duration.ofSeconds(10), limits.resetWindow());
    assertEquals(Duration.ofMinutes(5), limits.idleTimeout());
    assertEquals(Duration.ofSeconds(10), limits.handshakeTimeout());
    assertEquals(new ProxyConfig.UpstreamHealth(Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(1)), config.upstreamHealth());
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidSettingsAreRejectedWithAClearMessage(Map<String, String> bad, String expected) {
    Map<String, String> all = flags();
    all.putAll(bad);
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(null, all));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void missingPolicyAndUnknownFileKeysAreAllReported() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, "listen: 127.0.0.1:8000\nupstreem: x\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(file, Map.of()));
    assertEquals(2, e.errors().size(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown setting 'upstreem'"), e.getMessage());
    assertTrue(e.getMessage().contains("the policy needs exactly one of policy.file (--policy)"), e.getMessage());
  }
}
