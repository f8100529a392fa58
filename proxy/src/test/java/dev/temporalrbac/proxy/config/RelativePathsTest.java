package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relative path in the config file is read from the config file's folder, whatever the working
 * directory; a relative path given as a flag stays relative to the working directory.
 */
class RelativePathsTest {
  @TempDir Path dir;

  private Path config(String yaml) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("etc"));
    return Files.writeString(folder.resolve("proxy.yaml"), yaml);
  }

  @Test
  void everyFileSettingIsReadFromTheConfigFilesFolder() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("upstream.key"), "the-proxy-key\n");
    Path file = config("""
        policy:
          file: policy.yaml
        tls:
          cert: tls/server.pem
          key: tls/server.key
          client_ca: ../pki/ca.pem
        upstream:
          target: up:7233
          tls:
            enabled: true
            ca: up/ca.pem
            cert: up/client.pem
            key: up/client.key
          credentials:
            mode: replace
            api_key_file: upstream.key
        identity:
          jwt:
            jwks: keys/jwks.json
            issuer: any
            audience: any
        audit:
          file: /var/log/audit.jsonl
        """);
    ProxyConfig config = new ConfigLoader(Map.of()).load(file, Map.of());
    assertEquals(etc.resolve("policy.yaml"), config.policy().path());
    assertEquals(etc.resolve("tls/server.pem"), config.downstreamTls().cert());
    assertEquals(etc.resolve("tls/server.key"), config.downstreamTls().key());
    assertEquals(etc.resolve("../pki/ca.pem"), config.identity().clientCa());
    assertEquals(etc.resolve("up/ca.pem"), config.upstreamTls().ca());
    assertEquals(etc.resolve("up/client.pem"), config.upstreamTls().cert());
    assertEquals(etc.resolve("up/client.key"), config.upstreamTls().key());
    assertEquals(etc.resolve("keys/jwks.json").toString(), config.identity().jwt().jwks());
    assertEquals(Path.of("/var/log/audit.jsonl"), config.auditFile()); // absolute: unchanged
  }

  @Test
  void flagsStayRelativeToTheWorkingDirectory() throws Exception {
    Path file = config("policy:\n  file: policy.yaml\naudit:\n  file: audit.jsonl\n");
    ProxyConfig config = new ConfigLoader(Map.of()).load(file,
        Map.of("policy", "my/policy.yaml", "tls-cert", "c.pem", "tls-key", "k.pem"));
    assertEquals(Path.of("my/policy.yaml"), config.policy().path());
    assertEquals(Path.of("c.pem"), config.downstreamTls().cert());
    assertEquals(dir.resolve("etc/audit.jsonl"), config.auditFile());
  }

  @Test
  void aJwksUrlIsNotAPath() throws Exception {
    Path file = config("policy:\n  file: policy.yaml\nidentity:\n  jwt:\n"
        + "    jwks: https://idp.example.com/jwks.json\n    issuer: any\n    audience: any\n");
    assertEquals("https://idp.example.com/jwks.json",
        new ConfigLoader(Map.of()).load(file, Map.of()).identity().jwt().jwks());
  }

  @Test
  void aConfigFileInTheWorkingDirectoryKeepsPathsAsWritten() throws Exception {
    Path file = Path.of("proxy-relative-paths-test.yaml");
    assertEquals("policy.yaml", RelativePaths.fromConfigFile(file, "policy.file", "policy.yaml"));
    assertEquals("5s", RelativePaths.fromConfigFile(dir.resolve("p.yaml"), "shutdown_grace", "5s"));
  }

  /** The signing key and the upstream key file are looked for next to the config file too. */
  @Test
  void filesReadWhileLoadingAreLookedForNextToTheConfigFile() throws Exception {
    Path file = config("policy:\n  file: policy.yaml\nupstream:\n  credentials:\n"
        + "    mode: replace\n    api_key_file: missing.key\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(file, Map.of()));
    assertTrue(e.getMessage().contains("cannot read the upstream API key file "
        + dir.resolve("etc/missing.key") + ": no such file"), e.getMessage());
  }

  @Test
  void missingConfigFileSaysSo() {
    Path missing = dir.resolve("nope/proxy.yaml");
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(missing, Map.of()));
    assertEquals("cannot read the config file " + missing + ": no such file (its folder "
        + dir.resolve("nope") + " does not exist either)", e.errors().get(0));
  }
}
