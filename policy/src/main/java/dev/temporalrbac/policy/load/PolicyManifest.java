package dev.temporalrbac.policy.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies a policy read from several files: one line per file, in name order,
 * {@code <sha256 of its bytes, 64 lower-case hex>  <file name>\n} — exactly what
 * {@code LC_ALL=C sha256sum FILE...} prints in that directory. The policy's version is the first
 * 16 hex digits of the SHA-256 of this manifest, so it changes when any file's bytes or name
 * change, or a file is added or removed, and is the same on every replica that reads the same
 * files wherever they are mounted. A detached signature over a directory signs these bytes.
 * Stateless.
 */
public final class PolicyManifest {
  /** Name order: by UTF-16 code unit, which is byte order for ASCII names (as {@code LC_ALL=C}). */
  public static final Comparator<PolicyDocument> NAME_ORDER =
      Comparator.comparing(PolicyDocument::name);

  private PolicyManifest() {}

  /** The manifest of {@code parts} (sorted here; the caller's order does not matter). */
  public static byte[] of(List<PolicyDocument> parts) {
    List<PolicyDocument> sorted = new ArrayList<>(parts);
    sorted.sort(NAME_ORDER);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PolicyDocument part : sorted) {
      String line = HexFormat.of().formatHex(sha256(part.content())) + "  " + part.name() + "\n";
      out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** The version {@code parts} load as: first 16 hex digits of the manifest's SHA-256. */
  public static String version(List<PolicyDocument> parts) {
    return PolicyLoader.contentHash(of(parts));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
