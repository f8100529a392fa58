package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading a signed policy file: an older signed version is not taken back, one signed ahead of
 * the clock installs once the clock catches up, a version waiting for its key installs once the
 * keys have it (read again once a minute, not every poll), the signature is read beside the real
 * file, and a read or load that throws a runtime exception is a rejection.
 */
class SignedReloadTest {
  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-01T12:00:00Z"));
  private static final String V1 = "users:\n  - {id: alice, role: developer}\n";
  private static final String V2 = V1 + "  - {id: bob, role: developer}\n";

  @TempDir Path dir;
  private PolicyHolder holder = new PolicyHolder(null);

  /** Writes {@code policy} to policy.yaml and {@code jws} to policy.yaml.jws. */
  private Path publish(String policy, byte[] jws) throws IOException {
    Path file = Files.writeString(dir.resolve("policy.yaml"), policy);
    Files.write(dir.resolve("policy.yaml.jws"), jws);
    return file;
  }

  private PolicyWatcher watcher(PolicySignature check) {
    return new PolicyWatcher(new FileSource(dir.resolve("policy.yaml"), true), check, holder,
        ReloadListener.NONE, clock, Duration.ZERO);
  }

  /** An unsigned watcher of a source described as "broken", whose every read is {@code read}. */
  private PolicyWatcher brokenWatcher(Supplier<PolicyRead> read) {
    PolicySource source = new PolicySource() {
      @Override
      public String describe() {
        return "broken";
      }

      @Override
      public PolicyRead read(String versionInForce) {
        return read.get();
      }
    };
    return new PolicyWatcher(source, null, holder, ReloadListener.NONE, clock, Duration.ZERO);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOlderSignedVersionServedAgainIsRefusedUntilReSigned() throws Exception {
    PolicySigner signer = new PolicySigner("k1");
    PolicySignature check = new PolicySignature(SignatureKeys.file(
        signer.writePem(dir.resolve("k1.pem"))));
    long t1 = PolicySigner.FIRST_IAT;
    byte[] v1Signature = signer.sign(bytes(V1), t1);
    publish(V1, v1Signature);
    PolicyWatcher watcher = watcher(check);
    watcher.loadInitial();
    String v1 = holder.current().version();
    publish(V2, signer.sign(bytes(V2), t1 + 60));
    assertTrue(watcher.checkNow());
    String v2 = holder.current().version();

    publish(V1, v1Signature); // a replay: validly signed, but before the version in force
    assertFalse(watcher.checkNow());
    assertFalse(watcher.checkNow());
    assertEquals(v2, holder.current().version());
    assertEquals(1, watcher.status().failed());
    assertEquals("signature: signed at 2026-12-01T10:00:00Z, older than the version in force"
        + " signed at 2026-12-01T10:01:00Z: a replayed older version? to roll back, re-sign it"
        + " with an iat later than " + (t1 + 60), watcher.status().lastError());

    publish(V1, signer.sign(bytes(V1), t1 + 60)); // the same second, other content
    assertFalse(watcher.checkNow());
    assertEquals("signature: signed at 2026-12-01T10:01:00Z, the same second as the version in"
        + " force but with other content: which is newer cannot be told; re-sign it with an iat"
        + " later than " + (t1 + 60), watcher.status().lastError());

    publish(V1, signer.sign(bytes(V1), t1 + 120)); // a deliberate roll-back: re-signed
    assertTrue(watcher.checkNow());
    assertEquals(v1, holder.current().version());

    publish(V2, signer.sign(bytes(V2), t1 * 1000)); // milliseconds, not seconds
    assertFalse(watcher.checkNow());
    assertTrue(watcher.status().lastError().contains(", more than 10 minutes after this replica's"
        + " clock (2026-12-01T12:00:00Z): is the signer's clock fast, or iat in milliseconds?"),
        watcher.status().lastError());

    // documented limit: a restarted replica has no version in force to compare with
    holder = new PolicyHolder(null);
    publish(V1, v1Signature);
    watcher(check).loadInitial();
    assertEquals(v1, holder.current().version());
  }

  @Test
  void aVersionSignedAheadOfTheClockInstallsOnceTheClockCatchesUp() throws Exception {
    PolicySigner signer = new PolicySigner("k1");
    Path jwks = PolicySigner.writeJwks(dir.resolve("jwks.json"), signer);
    try (CountingJwks server = new CountingJwks(jwks)) {
      publish(V1, signer.sign(bytes(V1)));
      PolicyWatcher watcher = watcher(new PolicySignature(SignatureKeys.url(server.url(),
          Duration.ofSeconds(5))));
      watcher.loadInitial();
      long hourAhead = clock.instant().plus(Duration.ofHours(1)).getEpochSecond();
      publish(V2, signer.sign(bytes(V2), hourAhead)); // the signer's clock runs an hour fast
      assertFalse(watcher.checkNow());
      assertTrue(watcher.status().lastError().endsWith("checked again when this clock reaches"
          + " 2026-12-01T12:50:00Z"), watcher.status().lastError());
      int gets = server.gets();
      for (int poll = 0; poll < 3; poll++) {
        clock.step(Duration.ofMinutes(16));
        assertFalse(watcher.checkNow(), "still more than 10 minutes ahead");
      }
      assertEquals(gets, server.gets(), "not verified again while the clock is behind");
      assertEquals(1, watcher.status().failed(), "counted once");

      clock.step(Duration.ofMinutes(2)); // 12:50: the clock has caught up (NTP, or time passing)
      assertTrue(watcher.checkNow(), "not remembered as rejected for good");
      assertNotNull(holder.current().principal("bob"));
    }
  }

  @Test
  void aVersionSignedWithANewKidInstallsOnceTheJwksHasItReadOnceAMinute() throws Exception {
    PolicySigner k1 = new PolicySigner("k1");
    PolicySigner k2 = new PolicySigner("k2");
    Path jwks = PolicySigner.writeJwks(dir.resolve("jwks.json"), k1);
    try (CountingJwks server = new CountingJwks(jwks)) {
      publish(V1, k1.sign(bytes(V1)));
      PolicyWatcher watcher = watcher(new PolicySignature(SignatureKeys.url(server.url(),
          Duration.ofSeconds(5))));
      watcher.loadInitial();
      String v1 = holder.current().version();
      assertEquals(1, server.gets());

      publish(V2, k2.sign(bytes(V2), PolicySigner.FIRST_IAT + 60)); // before k2 is published
      assertFalse(watcher.checkNow());
      for (int poll = 0; poll < 5; poll++) {
        clock.step(Duration.ofSeconds(10));
        assertFalse(watcher.checkNow());
      }
      assertEquals(v1, holder.current().version());
      assertEquals(2, server.gets(), "the keys are not fetched on every poll");
      assertEquals(1, watcher.status().failed());
      assertEquals("signature: no key from " + server.url() + " fits the signature (alg RS256,"
          + " kid 'k2')", watcher.status().lastError());

      clock.step(Duration.ofSeconds(10)); // a minute since the rejection: checked again
      assertFalse(watcher.checkNow());
      assertEquals(3, server.gets());
      assertEquals(1, watcher.status().failed(), "the same verdict: not counted again");

      PolicySigner.writeJwks(jwks, k1, k2);
      assertFalse(watcher.checkNow(), "held back until a minute has passed");
      assertEquals(3, server.gets());
      clock.step(ReloadMemory.RECHECK);
      assertTrue(watcher.checkNow(), "the keys changed: the waiting version installs");
      assertEquals(4, server.gets());
      assertNotNull(holder.current().principal("bob"));
    }
  }

  @Test
  void theSignatureIsReadBesideTheFileThePathResolvesTo() throws Exception {
    PolicySigner signer = new PolicySigner("k1");
    PolicySignature check = new PolicySignature(SignatureKeys.file(
        signer.writePem(dir.resolve("k1.pem"))));
    Path v3 = Files.createDirectory(dir.resolve("v3"));
    Files.writeString(v3.resolve("policy.yaml"), V1);
    Files.write(v3.resolve("policy.yaml.jws"), signer.sign(bytes(V1)));
    Files.createSymbolicLink(dir.resolve("policy.yaml"), Path.of("v3", "policy.yaml"));
    Files.write(dir.resolve("policy.yaml.jws"), signer.sign(bytes(V2))); // beside the link: unused

    watcher(check).loadInitial();
    assertEquals(dir.resolve("policy.yaml").toString(), holder.current().source());
    assertNotNull(holder.current().principal("alice"));
  }

  @Test
  void aRuntimeExceptionFromAReadIsAFailedRead() throws Exception {
    PolicyWatcher watcher = brokenWatcher(() -> {
      throw new IllegalArgumentException("bad input");
    });
    assertFalse(watcher.checkNow());
    assertNull(holder.current());
    String error = "cannot read or check broken: IllegalArgumentException: bad input";
    assertEquals(error, holder.problem());
    assertEquals(1, watcher.status().failed());
    PolicyException e = assertThrows(PolicyException.class, watcher::loadInitial);
    assertEquals("broken: " + error, e.errors().get(0).toString());
  }

  @Test
  void aRuntimeExceptionFromALoadIsARejection() throws Exception {
    PolicyContent content = new PolicyContent(bytes(V1), null, "broken") {
      @Override
      public PolicySnapshot load(Instant at) {
        throw new IllegalStateException("loader bug");
      }
    };
    PolicyWatcher watcher = brokenWatcher(() -> PolicyRead.of(content, null));
    String error = "cannot read or check broken: IllegalStateException: loader bug";
    PolicyException e = assertThrows(PolicyException.class, watcher::loadInitial);
    assertEquals("broken: " + error, e.errors().get(0).toString());

    assertFalse(watcher.checkNow());
    assertFalse(watcher.checkNow());
    assertNull(holder.current());
    assertEquals(error, holder.problem());
    assertEquals(1, watcher.status().failed(), "counted once");
    assertEquals(error, watcher.status().lastError());
  }
}
