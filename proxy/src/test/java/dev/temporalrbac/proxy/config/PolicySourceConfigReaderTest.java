package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** policy.* and policy.shadow.* read into PolicySourceSettings; every bad combination refused. */
class PolicySourceConfigReaderTest {
  @TempDir
  Path dir;

  private ProxyConfig load(Map<String, String> flags) throws ConfigException {
    return new ConfigLoader(Map.of()).load(null, flags);
  }

  @Test
  void eachKindWithDefaults() throws Exception {
    PolicySourceSettings file = load(Map.of("policy", "p.yaml")).policy();
    assertEquals(PolicySourceSettings.Kind.FILE, file.kind());
    assertEquals(Path.of("p.yaml"), file.path());
    assertEquals(Duration.ofSeconds(5), file.fetchTimeout());
    assertEquals(16L * 1024 * 1024, file.maxBytes());
    assertEquals(false, file.signed());

    ProxyConfig url = load(Map.of("policy-url", "https://policies.example/p.yaml?t=secret",
        "policy-signature-jwks", "https://keys.example/jwks.json",
        "policy-fetch-timeout", "2s", "policy-max-bytes", "1000",
        "shadow-policy-dir", "/etc/shadow"));
    assertEquals(PolicySourceSettings.Kind.URL, url.policy().kind());
    assertEquals("https://policies.example/p.yaml.jws?t=secret", url.policy().signatureUrl(),
        "the signature is the policy URL + .jws by default");
    assertEquals("https://policies.example/p.yaml", url.policy().shown());
    assertEquals(Duration.ofSeconds(2), url.policy().fetchTimeout());
    assertEquals(1000, url.policy().maxBytes());
    assertEquals(PolicySourceSettings.Kind.DIRECTORY, url.shadowPolicy().kind());
    assertNull(load(Map.of("policy", "p.yaml")).shadowPolicy());
  }

  @Test
  void plainHttpIsAllowedToLoopbackOnly() throws Exception {
    assertEquals("http://127.0.0.1:8080/p.yaml",
        load(Map.of("policy-url", "http://127.0.0.1:8080/p.yaml")).policy().location());
    ProxyConfig signed = load(Map.of("policy-url", "http://localhost/p.yaml",
        "policy-signature-key", "key.pem", "policy-signature-url", "http://[::1]:81/p.jws"));
    assertEquals("http://[::1]:81/p.jws", signed.policy().signatureUrl());
  }

  /** flags, a fragment of the error. */
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(Map.of(), "the policy needs exactly one of policy.file (--policy),"
            + " policy.directory (--policy-dir) or policy.url (--policy-url)"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-dir", "d"), "; 2 are set"),
        Arguments.of(Map.of("policy", "p.yaml", "shadow-policy", "a.yaml",
            "shadow-policy-url", "https://x/p"), "the shadow policy needs exactly one of"
            + " policy.shadow.file (--shadow-policy), policy.shadow.directory"
            + " (--shadow-policy-dir) or policy.shadow.url (--shadow-policy-url); 2 are set"),
        Arguments.of(Map.of("policy-url", "https://x/p", "policy-signature-url", "https://x/s"),
            "policy.signature.url is set but neither policy.signature.public_key nor"
                + " policy.signature.jwks"),
        Arguments.of(Map.of("policy-url", "http://policies.example/p.yaml"),
            "policy.url: http://policies.example/p.yaml is plain http: anyone on the network path"
                + " could serve their own policy, or an older signed one. Use https or a loopback"
                + " host (127.0.0.1, ::1, localhost)"),
        Arguments.of(Map.of("policy-url", "http://policies.example/p.yaml",
            "policy-signature-key", "k.pem"), "policy.url: http://policies.example/p.yaml is"
            + " plain http"),
        Arguments.of(Map.of("policy-url", "https://policies.example/p.yaml",
            "policy-signature-key", "k.pem", "policy-signature-url", "http://sig.example/p.jws"),
            "policy.signature.url: http://sig.example/p.jws is plain http"),
        Arguments.of(Map.of("policy-url", "https://u:secret@policies.example/p.yaml"),
            "policy.url: credentials in the URL are not sent; the proxy sends no Authorization"
                + " header, so remove the user info from https://policies.example/p.yaml and let"
                + " the server admit the proxy another way"),
        Arguments.of(Map.of("policy-url", "https://policies.example/p.yaml",
            "policy-signature-key", "k.pem", "policy-signature-url",
            "https://u:secret@sig.example/p.jws"), "policy.signature.url: credentials in the URL"
            + " are not sent"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-signature-jwks",
            "https://secret@keys.example/j"), "policy.signature.jwks: credentials in the URL are"
            + " not sent"),
        Arguments.of(Map.of("policy", "p.yaml", "shadow-policy-url",
            "https://u:secret@x.example/p"), "policy.shadow.url: credentials in the URL are not"
            + " sent"),
        Arguments.of(Map.of("policy-url", "ftp://x/p"), "policy.url: expected an http(s) URL"),
        Arguments.of(Map.of("policy-url", "https://x/a b"), "policy.url: not a valid URL"),
        Arguments.of(Map.of("policy", "p.yaml", "shadow-policy-url", "http://10.0.0.1/p"),
            "policy.shadow.url: http://10.0.0.1/p is plain http"),
        Arguments.of(Map.of("policy-url", "https://x/p", "policy-signature-key", "k.pem",
            "policy-signature-url", "ftp://x/p.jws"), "policy.signature.url: expected an http(s)"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-signature-key", "k.pem",
            "policy-signature-url", "https://x/p.jws"), "policy.signature.url is for a url"
            + " source"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-signature-jwks", "http://keys.example/j"),
            "policy.signature.jwks: http://keys.example/j is plain http: anyone on the network"
                + " path could serve their own keys. Use https or a loopback host"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-signature-key", "k.pem",
            "policy-signature-jwks", "j.json"), "set one of policy.signature.public_key and"
            + " policy.signature.jwks, not both"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-fetch-timeout", "0s"),
            "policy.fetch_timeout: must be more than zero"),
        Arguments.of(Map.of("policy", "p.yaml", "policy-max-bytes", "0"),
            "policy.max_bytes: 0 is outside"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWithAClearError(Map<String, String> flags, String expected) {
    Map<String, String> all = new HashMap<>(flags);
    ConfigException e = assertThrows(ConfigException.class, () -> load(all));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(!e.getMessage().contains("secret"), "never the URL's credential");
  }

  @Test
  void relativePathsInTheConfigFileAreReadFromItsFolder() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path file = etc.resolve("proxy.yaml");
    Files.writeString(file, "policy:\n  directory: policies\n  signature:\n"
        + "    public_key: keys/policy.pem\n  shadow:\n    file: shadow.yaml\n"
        + "    signature:\n      jwks: https://keys.example/jwks.json\n");
    ProxyConfig config = new ConfigLoader(Map.of()).load(file, Map.of());
    assertEquals(etc.resolve("policies"), config.policy().path());
    assertEquals(etc.resolve("keys/policy.pem").toString(), config.policy().publicKey());
    assertEquals(etc.resolve("shadow.yaml"), config.shadowPolicy().path());
    assertEquals("https://keys.example/jwks.json", config.shadowPolicy().jwks());
  }
}
