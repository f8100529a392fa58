package dev.temporalrbac.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The API-key table: found by raw digest, never a wrong key, collisions probed. */
class KeyTableTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] sha256(String secret) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiKey key(int i, byte[] digest) {
    return new ApiKey("key-" + i, "owner-" + i, HEX.formatHex(digest), null, false);
  }

  private static KeyTable table(List<ApiKey> keys) {
    List<ApiKeyEntry> entries = new ArrayList<>();
    for (ApiKey key : keys) {
      entries.add(new ApiKeyEntry(key, null));
    }
    return new KeyTable(entries);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 7, 8, 9, 1000, 20_000})
  void everyKeyIsFoundByItsDigestAndNoOtherIs(int count) throws Exception {
    List<ApiKey> keys = new ArrayList<>();
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] digest = sha256("secret-" + i);
      digests.add(digest);
      keys.add(key(i, digest));
    }
    KeyTable table = table(keys);
    assertEquals(count, table.size());
    int capacity = table.capacity();
    assertEquals(0, capacity & (capacity - 1), "power of two");
    assertTrue(capacity >= 2 * count, "at most half full: " + capacity + " slots for " + count);
    for (int i = 0; i < count; i++) {
      ApiKeyEntry found = table.find(digests.get(i));
      assertNotNull(found, "key " + i + " found");
      assertSame(keys.get(i), found.key());
    }
    for (int i = count; i < count + 1000; i++) {
      assertNull(table.find(sha256("secret-" + i)), "unknown " + i);
    }
    assertNull(table.find(new byte[32]), "all-zero digest (a free slot's)");
  }

  @Test
  void digestsSharingTheirFirstEightBytesAreTellApartByTheRest() {
    List<ApiKey> keys = new ArrayList<>();
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] digest = new byte[32];
      java.util.Arrays.fill(digest, 0, 8, (byte) 0x5a); // same slot hash for all
      digest[8 + i * 4] = (byte) (i + 1); // each differs in a different word
      digests.add(digest);
      keys.add(key(i, digest));
    }
    KeyTable table = table(keys);
    for (int i = 0; i < digests.size(); i++) {
      assertSame(keys.get(i), table.find(digests.get(i)).key());
    }
    byte[] sameWordsButLast = digests.get(0).clone();
    sameWordsButLast[31] = 1;
    assertNull(table.find(sameWordsButLast));
    byte[] prefixOnly = new byte[32];
    java.util.Arrays.fill(prefixOnly, 0, 8, (byte) 0x5a);
    assertNull(table.find(prefixOnly));
  }

  @Test
  void twoKeysWithOneDigestAreRefused() throws Exception {
    byte[] digest = sha256("same");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> table(List.of(key(1, digest), key(2, digest))));
    assertTrue(e.getMessage().contains(HEX.formatHex(digest)), e.getMessage());
  }
}
