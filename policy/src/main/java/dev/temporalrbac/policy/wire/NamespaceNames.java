package dev.temporalrbac.policy.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * The namespace names a policy knows, looked up by their UTF-8 bytes, so reading a request that
 * names a known namespace yields the policy's own {@code String} instead of decoding a new one.
 * An immutable open-addressing table; lookups allocate nothing and are thread-safe.
 */
public final class NamespaceNames {
  private static final NamespaceNames EMPTY = new NamespaceNames(java.util.List.of());

  private final byte[][] keys;
  private final String[] names;
  private final int mask;

  private NamespaceNames(Collection<String> all) {
    int capacity = Integer.highestOneBit(Math.max(4, all.size() * 2 + 1)) << 1;
    keys = new byte[capacity][];
    names = new String[capacity];
    mask = capacity - 1;
    for (String name : all) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      int slot = hash(bytes, 0, bytes.length) & mask;
      while (keys[slot] != null && !Arrays.equals(keys[slot], bytes)) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = bytes;
      names[slot] = name;
    }
  }

  /** A table of {@code all} (duplicates are fine). */
  public static NamespaceNames of(Collection<String> all) {
    return all.isEmpty() ? EMPTY : new NamespaceNames(all);
  }

  /** The known name spelled by {@code bytes[start, end)}, or null when the policy has none. */
  public String lookup(byte[] bytes, int start, int end) {
    int slot = hash(bytes, start, end) & mask;
    while (keys[slot] != null) {
      if (Arrays.equals(keys[slot], 0, keys[slot].length, bytes, start, end)) {
        return names[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  /**
   * The table's own instance of {@code name}, or {@code name} itself when the table lacks it. For
   * building structures keyed by the same instances the reader yields (not for the hot path: it
   * encodes the name).
   */
  public String canonical(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    String known = lookup(bytes, 0, bytes.length);
    return known == null ? name : known;
  }

  /** FNV-1a over the bytes. */
  private static int hash(byte[] bytes, int start, int end) {
    int hash = 0x811c9dc5;
    for (int i = start; i < end; i++) {
      hash = (hash ^ (bytes[i] & 0xff)) * 0x01000193;
    }
    return hash ^ (hash >>> 16);
  }
}
