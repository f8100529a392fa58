package dev.temporalrbac.policy.identity.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, refreshing and refetching the JWKS, against an HTTP endpoint the test runs. */
class JwksKeysTest {
  private static final RSAKey OLD = Tokens.rsa("2026-05");
  private static final RSAKey NEW = Tokens.rsa("2026-06");
  private static final ECKey NEWER = Tokens.ec("2026-07");
  /** Bounds every wait for background work; a pass never waits this long. */
  private static final long WAIT_MILLIS = 10_000;

  private final PolicySnapshot policy = Fixtures.standard().build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** Polls {@code condition} until it holds or the bound passes. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aRotatedKeyIsAcceptedAfterOneRefetchWithoutRestart() throws Exception {
    MutableClock clock = new MutableClock(Tokens.NOW);
    try (JwksServer server = new JwksServer(OLD)) {
      JwtSettings settings = Settings.of(server.url()).build();
      JwksKeys keys = new JwksKeys(settings, clock);
      keys.loadInitial();
      keys.start(scheduler);
      JwtAuthenticator auth = new JwtAuthenticator(settings, keys, clock);
      assertEquals(1, server.requests());

      server.serve(OLD, NEW);
      String token = Tokens.sign(NEW, Tokens.claims("viewer").build());
      Authentication first = auth.authenticate(policy, token);
      assertEquals(Reason.TOKEN_UNKNOWN_KEY, first.reason());
      assertTrue(first.message().contains("'2026-06'") && first.message().contains("refetched"));
      await("accepted", () -> auth.authenticate(policy, token).authenticated());
      assertEquals(2, server.requests());

      // within unknownKeyRefetchInterval (30 s), a further unknown kid fetches nothing
      server.serve(OLD, NEW, NEWER);
      String newer = Tokens.sign(NEWER, Tokens.claims("viewer").build());
      for (int i = 0; i < 5; i++) {
        assertEquals(Reason.TOKEN_UNKNOWN_KEY, auth.authenticate(policy, newer).reason());
      }
      clock.advance(Duration.ofSeconds(29));
      assertEquals(Reason.TOKEN_UNKNOWN_KEY, auth.authenticate(policy, newer).reason());
      // the accepted token's kid is known: no fetch for it either
      assertTrue(auth.authenticate(policy, token).authenticated());
      assertEquals(2, server.requests());

      clock.advance(Duration.ofSeconds(1));
      assertEquals(Reason.TOKEN_UNKNOWN_KEY, auth.authenticate(policy, newer).reason());
      await("accepted", () -> auth.authenticate(policy, newer).authenticated());
      assertEquals(3, server.requests());
      keys.close();
    }
  }

  @Test
  void theLastGoodKeysStayWhileTheEndpointFails() throws Exception {
    MutableClock clock = new MutableClock(Tokens.NOW);
    JwksServer server = new JwksServer(OLD);
    JwtSettings settings = Settings.of(server.url()).refresh(Duration.ofMillis(20)).build();
    JwksKeys keys = new JwksKeys(settings, clock);
    keys.loadInitial();
    assertNull(keys.lastError());
    assertEquals(Tokens.NOW, keys.lastLoaded());
    keys.start(scheduler);
    JwtAuthenticator auth = new JwtAuthenticator(settings, keys, clock,
        0); // no cache: every call verifies against the keys in force
    String token = Tokens.sign(OLD, Tokens.claims("viewer").build());

    server.answer(500);
    int before = server.requests();
    await("failing", () -> keys.lastError() != null && server.requests() > before);
    assertTrue(keys.lastError().contains("500"), keys.lastError());
    assertTrue(keys.lastError().contains(server.url()), keys.lastError());
    assertTrue(auth.authenticate(policy, token).authenticated());

    server.close();
    clock.advance(Duration.ofMinutes(1));
    await("failing on a stopped server", () -> keys.lastError() != null
        && !keys.lastError().contains("500"));
    assertTrue(auth.authenticate(policy, token).authenticated());
    assertEquals(Tokens.NOW, keys.lastLoaded(), "still the keys of the last success");
    keys.close();
  }

  @Test
  void aFailingEndpointRecoversWithTheNextFetch() throws Exception {
    try (JwksServer server = new JwksServer(OLD)) {
      server.answer(503);
      JwtSettings settings = Settings.of(server.url()).refresh(Duration.ofMillis(20)).build();
      JwksKeys keys = new JwksKeys(settings, Tokens.CLOCK);
      IOException failure = assertThrows(IOException.class, keys::loadInitial);
      assertTrue(failure.getMessage().contains(server.url()), failure.getMessage());
      assertTrue(failure.getMessage().contains("503"), failure.getMessage());
      assertEquals(Instant.EPOCH, keys.lastLoaded());
      keys.start(scheduler);
      server.answer(200);
      await("loaded", () -> keys.lastError() == null);
      assertEquals(Tokens.NOW, keys.lastLoaded());
      keys.close();
    }
  }

  @Test
  void aSetWithoutUsableKeysIsRefused() throws Exception {
    try (JwksServer server = new JwksServer()) {
      JwksKeys keys = new JwksKeys(Settings.of(server.url()).build(), Tokens.CLOCK);
      assertTrue(assertThrows(IOException.class, keys::loadInitial).getMessage()
          .contains("no usable signing key"));
      // a symmetric key is never a signing key: it would let HMAC tokens through
      server.serveText("{\"keys\":[" + new OctetSequenceKeyGenerator(256).keyID("hmac")
          .generate().toJSONString() + "]}");
      assertTrue(assertThrows(IOException.class, keys::loadInitial).getMessage()
          .contains("no usable signing key"));
      server.serveText("<html>login</html>");
      assertTrue(assertThrows(IOException.class, keys::loadInitial).getMessage()
          .contains("not a JSON Web Key Set"));
    }
  }

  @Test
  void readsAFileAndNamesAMissingOne() throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new com.nimbusds.jose.jwk.JWKSet(OLD).toPublicJWKSet().toString());
    JwksKeys keys = new JwksKeys(Settings.of(file.toString()).build(), Tokens.CLOCK);
    keys.loadInitial();
    assertTrue(new JwtAuthenticator(Settings.of(file.toString()).build(), keys, Tokens.CLOCK)
        .authenticate(policy, Tokens.sign(OLD, Tokens.claims("viewer").build())).authenticated());
    Path missing = dir.resolve("missing.json");
    JwksKeys none = new JwksKeys(Settings.of(missing.toString()).build(), Tokens.CLOCK);
    String message = assertThrows(IOException.class, none::loadInitial).getMessage();
    assertTrue(message.contains(missing.toString()), message);
  }

  @Test
  void neverShowsCredentialsOfTheUrl() throws Exception {
    try (JwksServer server = new JwksServer(OLD)) {
      server.answer(500);
      String secretUrl = server.url().replace("http://", "http://user:hunter2@") + "?token=s3cr3t";
      JwksKeys keys = new JwksKeys(Settings.of(secretUrl).build(), Tokens.CLOCK);
      String message = assertThrows(IOException.class, keys::loadInitial).getMessage();
      assertFalse(message.contains("hunter2") || message.contains("s3cr3t"), message);
      assertTrue(message.contains(server.url()), message);
    }
  }
}
