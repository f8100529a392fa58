package dev.temporalrbac.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rights cache's statistics count every look-up: by principal id through the cache, and by
 * API key through the key's remembered owner rights, so N calls by one key are N look-ups.
 */
class RightsCacheStatsTest {
  private static final byte[] ALICE_KEY = sha256("alice-secret");
  private static final byte[] ORPHAN_KEY = sha256("orphan-secret");

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PolicySnapshot policy() {
    return PolicySnapshot.builder()
        .principal(new Principal("alice", PrincipalType.USER, AccountRole.DEVELOPER,
            Map.of("orders", NamespacePermission.WRITE), List.of(), null))
        .apiKey(new ApiKey("key-alice", "alice", HexFormat.of().formatHex(ALICE_KEY), null, false))
        .apiKey(new ApiKey("key-orphan", "gone", HexFormat.of().formatHex(ORPHAN_KEY), null, false))
        .build();
  }

  @Test
  void aNewSnapshotHasDoneNothing() {
    assertEquals(new CacheStatistics(0, 0, 0, 0), policy().rightsCacheStats());
  }

  @Test
  void nCallsBySameKeyAreOneMissThenHits() {
    PolicySnapshot policy = policy();
    ApiKeyEntry key = policy.findKey(ALICE_KEY);
    EffectiveRights first = key.ownerRights();
    assertNotNull(first);
    assertEquals(new CacheStatistics(0, 1, 0, 1), policy.rightsCacheStats());
    int calls = 25;
    for (int i = 0; i < calls; i++) {
      assertSame(first, policy.findKey(ALICE_KEY).ownerRights(), "the remembered rights");
    }
    assertEquals(new CacheStatistics(calls, 1, 0, 1), policy.rightsCacheStats());
  }

  @Test
  void aKeyAndItsOwnersIdShareOneEntry() {
    PolicySnapshot policy = policy();
    EffectiveRights byId = policy.rightsOf("alice");
    assertSame(byId, policy.findKey(ALICE_KEY).ownerRights());
    assertSame(byId, policy.findKey(ALICE_KEY).ownerRights());
    assertEquals(new CacheStatistics(2, 1, 0, 1), policy.rightsCacheStats());
  }

  @Test
  void aKeyWhoseOwnerIsNotInThePolicyIsAMissEveryTimeAndStoresNothing() {
    PolicySnapshot policy = policy();
    for (int i = 0; i < 3; i++) {
      assertNull(policy.findKey(ORPHAN_KEY).ownerRights());
    }
    assertNull(policy.rightsOf("nobody"));
    assertEquals(new CacheStatistics(0, 4, 0, 0), policy.rightsCacheStats());
  }

  @Test
  void eachSnapshotCountsItsOwnLookUps() {
    PolicySnapshot before = policy();
    before.findKey(ALICE_KEY).ownerRights();
    before.findKey(ALICE_KEY).ownerRights();
    PolicySnapshot after = policy();
    assertEquals(new CacheStatistics(0, 0, 0, 0), after.rightsCacheStats());
    after.findKey(ALICE_KEY).ownerRights();
    assertEquals(new CacheStatistics(0, 1, 0, 1), after.rightsCacheStats());
    assertEquals(new CacheStatistics(1, 1, 0, 1), before.rightsCacheStats());
  }

  @Test
  void anUnknownDigestFindsNoKey() {
    assertNull(policy().findKey(sha256("not a key")));
  }
}
