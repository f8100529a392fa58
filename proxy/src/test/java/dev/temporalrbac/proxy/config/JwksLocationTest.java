package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code identity.jwt.jwks}: plain http only on loopback or by opt-in; shown without secrets. */
class JwksLocationTest {
  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/jwks.json", "http://127.9.8.7/jwks",
      "http://[::1]:9000/jwks", "http://localhost/jwks", "http://LocalHost:1/jwks",
      "https://idp.example.com/jwks", "/etc/proxy/jwks.json", "jwks.json"})
  void httpsFilesAndLoopbackHttpAreAccepted(String location) {
    assertEquals(location, JwksLocation.check(location, false));
    assertFalse(JwksLocation.isInsecure(location), location);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://idp.example.com/jwks.json", "http://128.0.0.1/jwks",
      "http://10.0.0.1:8080/jwks", "http://[::2]/jwks", "http://127.0.0.1.example.com/jwks",
      "http://localhost.example.com/jwks", "http://[::ffff:10.0.0.1]/jwks"})
  void plainHttpToAnotherHostIsRefusedUnlessAllowed(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwksLocation.check(url, false));
    assertTrue(e.getMessage().startsWith(url + " is plain http: anyone on the network path"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--jwks-allow-insecure true"), e.getMessage());

    assertEquals(url, JwksLocation.check(url, true));
    assertTrue(JwksLocation.isInsecure(url), url);
  }

  @Test
  void theSchemeIsReadInAnyCase() {
    assertEquals("https://idp.example.com/jwks",
        JwksLocation.check("HTTPS://idp.example.com/jwks", false));
    assertThrows(IllegalArgumentException.class,
        () -> JwksLocation.check("HTTP://idp.example.com/jwks", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://idp/jwks", "file:///etc/jwks.json"})
  void otherSchemesAreRefused(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwksLocation.check(url, true));
    assertTrue(e.getMessage().startsWith("expected a file path or an http(s) URL"),
        e.getMessage());
  }

  @Test
  void aUrlWithoutAHostIsRefusedWithoutShowingItsSecrets() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwksLocation.check("https://user:s3cret@bad_host/jwks?token=k3y", false));
    assertEquals("not a valid URL with a host: (an invalid URL)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://user:s3cret@idp.example.com/jwks?token=k3y#f | https://idp.example.com/jwks",
      "http://127.0.0.1:8080/a/b.json?x=1 | http://127.0.0.1:8080/a/b.json",
      "HTTPS://idp.example.com | https://idp.example.com",
      "https://[::1]:443/jwks | https://[::1]:443/jwks",
      "/etc/proxy/jwks.json | /etc/proxy/jwks.json",
      "https://s3cret@bad_host/x?k3y | (an invalid URL)"})
  void shownDropsUserInfoQueryAndFragment(String location, String shown) {
    assertEquals(shown, JwksLocation.shown(location));
  }
}
