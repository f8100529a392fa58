package dev.temporalrbac.proxy.policy;

import dev.temporalrbac.policy.load.PolicyDocument;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.load.PolicyManifest;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The bytes of one policy version as a source read them: one document (a file, an HTTP body) or
 * the files of a directory. Knows the version they load as and the bytes a signature covers: a
 * document's own bytes, or a directory's {@link PolicyManifest} (one {@code sha256sum} line per
 * file). Immutable; the arrays are not copied. Not final so that a test can make {@link #load}
 * fail in an unforeseen way; nothing else extends it.
 */
public class PolicyContent {
  private final byte[] document;
  private final List<PolicyDocument> parts;
  private final String source;

  PolicyContent(byte[] document, List<PolicyDocument> parts, String source) {
    this.document = document;
    this.parts = parts;
    this.source = source;
  }

  /** One document; {@code source} names it in errors and in the snapshot. */
  public static PolicyContent document(byte[] bytes, String source) {
    return new PolicyContent(bytes, null, source);
  }

  /** A directory's files, read as one policy. */
  public static PolicyContent files(List<PolicyDocument> parts, String source) {
    return new PolicyContent(null, List.copyOf(parts), source);
  }

  /** The version these bytes load as (without loading them). */
  public String version() {
    return document != null ? PolicyLoader.version(document) : PolicyManifest.version(parts);
  }

  /** What a detached signature over this version signs. */
  public byte[] signedBytes() {
    return document != null ? document : PolicyManifest.of(parts);
  }

  /** Parses and validates; every error with its file and line. */
  public PolicySnapshot load(Instant at) throws PolicyException {
    return document != null ? PolicyLoader.parse(document, source, at)
        : PolicyLoader.parse(parts, source, at);
  }
}
