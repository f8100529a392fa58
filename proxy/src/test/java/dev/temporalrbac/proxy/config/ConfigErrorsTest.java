package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rejected configuration lists its errors in the file's line order, each with the line of the
 * setting it is about, and without the errors that only follow from a rejected value.
 */
class ConfigErrorsTest {
  @TempDir Path dir;

  private List<String> errorsOf(String yaml, Map<String, String> flags) throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, yaml);
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(file, flags));
    return e.errors().stream().map(error -> error.replace(file.toString(), "proxy.yaml")).toList();
  }

  @Test
  void errorsOfAFileWithSeveralAreInLineOrderWithoutFollowOns() throws Exception {
    List<String> errors = errorsOf(String.join("\n",
        "mode: dry",                          // 1  bad value
        "upstream:",                          // 2
        "  tls:",                             // 3
        "    enabled: yes please",            // 4  bad value: "tls settings but not enabled" follows
        "    ca: ca.pem",                     // 5
        "limits:",                            // 6
        "  max_request_bytes: lots",          // 7  bad value: the buffer comparison follows
        "  request_buffer_bytes: 10",         // 8
        "tls:",                               // 9
        "  cert: a.pem",                      // 10
        "  key: a.key",                       // 11
        "  client_ca: ca.pem",                // 12 "set but client_auth is none" follows
        "  client_auth: maybe",               // 13 bad value
        "colour: red",                        // 14 unknown
        "audit:",                             // 15
        "  level: loud",                      // 16 bad value
        ""), Map.of());
    assertEquals(List.of(
        "the policy needs exactly one of policy.file (--policy), policy.directory (--policy-dir)"
            + " or policy.url (--policy-url)",
        "proxy.yaml:1: mode: expected enforce or dry_run, got 'dry'",
        "proxy.yaml:4: upstream.tls.enabled: expected true or false, got 'yes please'",
        "proxy.yaml:7: limits.max_request_bytes: expected a number, got 'lots'",
        "proxy.yaml:13: tls.client_auth: expected none, optional or require, got 'maybe'",
        "proxy.yaml:14: unknown setting 'colour' (known: " + String.join(", ",
            ConfigLoader.FLAGS.values()) + ")",
        "proxy.yaml:16: audit.level must be deny, all or off, not 'loud'"), errors);
  }

  @Test
  void aSettingGivenByFlagIsNotLocatedInTheFile() throws Exception {
    List<String> errors = errorsOf("policy:\n  file: p.yaml\nmode: dry\naudit:\n  level: loud\n",
        Map.of("audit", "quiet"));
    assertEquals(List.of(
        "audit.level must be deny, all or off, not 'quiet'",
        "proxy.yaml:3: mode: expected enforce or dry_run, got 'dry'"), errors);
  }

  @Test
  void anErrorNamingAValidSettingIsKept() throws Exception {
    List<String> errors = errorsOf(
        "policy:\n  file: p.yaml\nlimits:\n  max_request_bytes: 4096\n  request_buffer_bytes: 10\n",
        Map.of());
    assertEquals(List.of("proxy.yaml:5: limits.request_buffer_bytes (10) must be at least"
        + " limits.max_request_bytes (4096)"), errors);
  }

  @Test
  void anErrorAboutAnUnsetSettingIsKeptBesideARejectedValueItNames() throws Exception {
    // a rejected JWKS URL does not make the missing issuer and audience follow-ons
    List<String> errors = errorsOf("policy:\n  file: p.yaml\nidentity:\n  jwt:\n"
        + "    jwks: http://idp.example.com/keys.json\n", Map.of());
    assertEquals(3, errors.size(), errors::toString);
    assertTrue(errors.get(0).startsWith("proxy.yaml:5: identity.jwt.jwks: http://idp.example.com/"
        + "keys.json is plain http"), errors::toString);
    assertTrue(errors.get(1).startsWith("proxy.yaml:5: identity.jwt.issuer (--jwt-issuer) is"
        + " required with identity.jwt.jwks"), errors::toString);
    assertTrue(errors.get(2).startsWith("proxy.yaml:5: identity.jwt.audience (--jwt-audience) is"
        + " required with identity.jwt.jwks"), errors::toString);
  }
}
