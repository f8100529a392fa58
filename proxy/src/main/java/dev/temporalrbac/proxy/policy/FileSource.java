package dev.temporalrbac.proxy.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One policy file, read whole on each poll (its content hash decides whether it changed; a
 * modification time is not trusted). The file may be edited in place, so a change must settle
 * ({@code policy.settle}) before it is installed.
 *
 * <p>When signed, the detached JWS over the file's bytes is {@code <file>.jws} beside the file
 * the path resolves to: each read resolves the path's symlinks once ({@link Path#toRealPath})
 * and reads the policy and its signature from that one folder. A ConfigMap mount
 * ({@code policy.yaml -> ..data/policy.yaml}, {@code ..data} swapped atomically) thus never pairs
 * an old policy with a new signature; with a symlink to a versioned file
 * ({@code policy.yaml -> v3.yaml}) the signature is {@code v3.yaml.jws}. Stateless.
 */
public final class FileSource implements PolicySource {
  private final Path file;
  private final boolean signed;

  /** @param signed whether {@code <file>.jws} is read with it */
  public FileSource(Path file, boolean signed) {
    this.file = file;
    this.signed = signed;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public PolicyRead read(String versionInForce) throws IOException {
    Path real;
    byte[] document;
    try {
      real = file.toRealPath();
      document = Files.readAllBytes(real);
    } catch (IOException e) {
      throw new IOException("cannot read the policy file: " + e, e);
    }
    return PolicyRead.of(PolicyContent.document(document, file.toString()),
        signed ? signature(real.resolveSibling(real.getFileName() + ".jws")) : null);
  }

  @Override
  public boolean settles() {
    return true;
  }

  /** A signature file's bytes; null when it does not exist (the check then says "no signature"). */
  static byte[] signature(Path jws) throws IOException {
    if (!Files.exists(jws)) {
      return null;
    }
    if (Files.size(jws) > PolicySignature.MAX_SIGNATURE_BYTES) {
      throw new IOException(jws + " is larger than " + PolicySignature.MAX_SIGNATURE_BYTES
          + " bytes: not a detached JWS");
    }
    return Files.readAllBytes(jws);
  }
}
