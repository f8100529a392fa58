package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

class CallerHeadersTest {
  private static Metadata with(String... authorizations) {
    Metadata headers = new Metadata();
    for (String value : authorizations) {
      headers.put(UpstreamCredentials.AUTHORIZATION, value);
    }
    return headers;
  }

  @Test
  void oneAuthorizationHeaderIsAnApiKeyWithOrWithoutBearer() {
    assertEquals("Caller[api key]", CallerHeaders.caller(with("Bearer k1")).toString());
    assertEquals("Caller[api key]", CallerHeaders.caller(with("bearer   k1 ")).toString());
    assertEquals("Caller[api key]", CallerHeaders.caller(with("k1")).toString());
  }

  @Test
  void noHeaderOrAnEmptyKeyIsAnonymous() {
    assertEquals("Caller[anonymous]", CallerHeaders.caller(with()).toString());
    assertEquals("Caller[anonymous]", CallerHeaders.caller(with("  ")).toString());
  }

  @Test
  void severalHeadersAreConflicting() {
    assertEquals("Caller[3 credentials]",
        CallerHeaders.caller(with("Bearer a", "Bearer b", "c")).toString());
  }
}
