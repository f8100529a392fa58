package dev.temporalrbac.policy.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

/**
 * The API keys of one snapshot, found by the 32 raw bytes of their secret's SHA-256: an
 * open-addressing table whose slots hold the digest as four {@code long}s side by side, so a
 * lookup reads one or two cache lines, compares four words and allocates nothing. No hex string,
 * no hash of a string, no boxed key.
 *
 * <p>SHA-256 output is uniform and a caller cannot choose it, so the first eight bytes are used
 * as the slot hash directly. The table is at most half full. Immutable (each {@link ApiKeyEntry}
 * remembers its owner's rights itself).
 */
final class KeyTable {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int DIGEST_BYTES = 32;

  private final long[] digests;
  /** Per slot, the key found there; null: free. */
  private final ApiKeyEntry[] entries;
  private final int mask;

  /**
   * @param keys every key of the policy; digests must be distinct (the loader rejects duplicates)
   */
  KeyTable(List<ApiKeyEntry> keys) {
    int capacity = Integer.highestOneBit(Math.max(2, keys.size()) * 2 - 1) << 1;
    this.mask = capacity - 1;
    this.digests = new long[capacity * 4];
    this.entries = new ApiKeyEntry[capacity];
    byte[] digest = new byte[DIGEST_BYTES];
    for (ApiKeyEntry entry : keys) {
      ApiKey key = entry.key();
      decodeHex(key.sha256(), digest);
      int slot = probe(digest);
      if (slot >= 0) {
        throw new IllegalArgumentException("two API keys share the hash " + key.sha256());
      }
      slot = -slot - 2;
      for (int w = 0; w < 4; w++) {
        digests[slot * 4 + w] = (long) LONGS.get(digest, w * 8);
      }
      entries[slot] = entry;
    }
  }

  /** The key whose secret hashes to {@code digest} (32 bytes), or null. */
  ApiKeyEntry find(byte[] digest) {
    if (digest.length != 32) {
      return null; // no SHA-256 digest: no key's (the probe reads exactly 32 bytes)
    }
    int slot = probe(digest);
    return slot >= 0 ? entries[slot] : null;
  }

  int size() {
    int n = 0;
    for (ApiKeyEntry entry : entries) {
      n += entry == null ? 0 : 1;
    }
    return n;
  }

  /** A found slot (>= 0), or {@code -(free slot) - 2} where the digest would go. */
  private int probe(byte[] digest) {
    long d0 = (long) LONGS.get(digest, 0);
    long d1 = (long) LONGS.get(digest, 8);
    long d2 = (long) LONGS.get(digest, 16);
    long d3 = (long) LONGS.get(digest, 24);
    int slot = (int) (d0 ^ (d0 >>> 32)) & mask;
    while (true) {
      // The digest words first: on a hit (the common case) that line decides, and the entries
      // line is read only to confirm the slot is taken (a free slot's words are zero).
      int base = slot * 4;
      boolean free = entries[slot] == null;
      if (!free && digests[base] == d0 && digests[base + 1] == d1 && digests[base + 2] == d2
          && digests[base + 3] == d3) {
        return slot;
      }
      if (free) {
        return -slot - 2;
      }
      slot = (slot + 1) & mask;
    }
  }

  private static void decodeHex(String hex, byte[] into) {
    if (hex.length() != into.length * 2) {
      throw new IllegalArgumentException("a SHA-256 is 64 hex digits, not " + hex.length());
    }
    for (int i = 0; i < into.length; i++) {
      into[i] = (byte) ((HexFormat.fromHexDigit(hex.charAt(2 * i)) << 4)
          | HexFormat.fromHexDigit(hex.charAt(2 * i + 1)));
    }
  }

  /** For tests: slot count is a power of two at least twice the number of keys. */
  int capacity() {
    return mask + 1;
  }
}
