package dev.temporalrbac.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The API-key table: found by raw digest or hex, never a wrong key, collisions probed. */
class KeyTableTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] sha256(String secret) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiKey key(int i, byte[] digest) {
    return new ApiKey("key-" + i, "owner-" + i, HEX.formatHex(digest), null, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 7, 8, 9, 1000, 20_000})
  void everyKeyIsFoundByItsDigestAndHexAndNoOtherIs(int count) throws Exception {
    List<ApiKey> keys = new ArrayList<>();
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] digest = sha256("secret-" + i);
      digests.add(digest);
      keys.add(key(i, digest));
    }
    KeyTable table = new KeyTable(keys);
    assertEquals(count, table.size());
    int capacity = table.capacity();
    assertEquals(0, capacity & (capacity - 1), "power of two");
    assertTrue(capacity >= 2 * count, "at most half full: " + capacity + " slots for " + count);
    for (int i = 0; i < count; i++) {
      int slot = table.find(digests.get(i));
      assertTrue(slot >= 0, "key " + i + " found");
      assertSame(keys.get(i), table.keyAt(slot));
      assertEquals(slot, table.findHex(keys.get(i).sha256()));
      assertEquals(slot, table.findHex(keys.get(i).sha256().toUpperCase(Locale.ROOT)));
    }
    for (int i = count; i < count + 1000; i++) {
      assertEquals(KeyTable.NOT_FOUND, table.find(sha256("secret-" + i)), "unknown " + i);
    }
    assertEquals(KeyTable.NOT_FOUND, table.find(new byte[32]), "all-zero digest (a free slot's)");
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
    KeyTable table = new KeyTable(keys);
    for (int i = 0; i < digests.size(); i++) {
      assertSame(keys.get(i), table.keyAt(table.find(digests.get(i))));
    }
    byte[] sameWordsButLast = digests.get(0).clone();
    sameWordsButLast[31] = 1;
    assertEquals(KeyTable.NOT_FOUND, table.find(sameWordsButLast));
    byte[] prefixOnly = new byte[32];
    java.util.Arrays.fill(prefixOnly, 0, 8, (byte) 0x5a);
    assertEquals(KeyTable.NOT_FOUND, table.find(prefixOnly));
  }

  @Test
  void hexThatIsNotASha256FindsNothing() throws Exception {
    byte[] digest = sha256("s");
    KeyTable table = new KeyTable(List.of(key(1, digest)));
    String hex = HEX.formatHex(digest);
    assertEquals(KeyTable.NOT_FOUND, table.findHex(null));
    assertEquals(KeyTable.NOT_FOUND, table.findHex(""));
    assertEquals(KeyTable.NOT_FOUND, table.findHex(hex.substring(2)));
    assertEquals(KeyTable.NOT_FOUND, table.findHex(hex + "00"));
    assertEquals(KeyTable.NOT_FOUND, table.findHex("zz" + hex.substring(2)));
  }

  @Test
  void twoKeysWithOneDigestAreRefused() throws Exception {
    byte[] digest = sha256("same");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeyTable(List.of(key(1, digest), key(2, digest))));
    assertTrue(e.getMessage().contains(HEX.formatHex(digest)), e.getMessage());
  }

  @Test
  void ownerRightsAreLookedUpOncePerKeyAndAMissIsNotRemembered() throws Exception {
    byte[] a = sha256("a");
    byte[] b = sha256("b");
    KeyTable table = new KeyTable(List.of(key(1, a), key(2, b)));
    EffectiveRights rights = EffectiveRights.compute(
        new Principal("owner-1", PrincipalType.USER, AccountRole.READ_ONLY, java.util.Map.of(),
            List.of(), null), java.util.Map.of(), List.of(),
        java.util.function.UnaryOperator.identity());
    AtomicInteger lookups = new AtomicInteger();
    int slotA = table.find(a);
    for (int i = 0; i < 3; i++) {
      assertSame(rights, table.ownerRightsAt(slotA, owner -> {
        lookups.incrementAndGet();
        assertEquals("owner-1", owner);
        return rights;
      }));
    }
    assertEquals(1, lookups.get(), "looked up once, then remembered");
    int slotB = table.find(b);
    for (int i = 0; i < 3; i++) {
      assertNull(table.ownerRightsAt(slotB, owner -> {
        lookups.incrementAndGet();
        return null;
      }));
    }
    assertEquals(4, lookups.get(), "an owner not in the policy is looked up every time");
  }
}
