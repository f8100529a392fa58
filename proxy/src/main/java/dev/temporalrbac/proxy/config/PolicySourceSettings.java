package dev.temporalrbac.proxy.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where one policy comes from ({@code policy.*}, or {@code policy.shadow.*} for the shadow
 * policy) and how it is checked. Validated by {@link PolicySourceConfigReader}. Immutable.
 *
 * @param kind file, directory or url
 * @param location the file or directory path, or the URL (as configured: it may hold a
 *     credential, so messages show {@link #shown()})
 * @param signatureUrl where a url source's detached JWS is (the policy URL + {@code .jws} by
 *     default); null for file and directory sources, whose signature is {@code <file>.jws} or
 *     {@code <dir>/policy.jws}, and when unsigned
 * @param publicKey {@code signature.public_key}: a PEM public key or a JWK / JWK Set file; null
 *     when unset
 * @param jwks {@code signature.jwks}: a JWK Set file or http(s) URL; null when unset
 * @param fetchTimeout one HTTP fetch, total ({@code policy.fetch_timeout})
 * @param maxBytes the largest policy accepted over HTTP ({@code policy.max_bytes})
 */
public record PolicySourceSettings(Kind kind, String location, String signatureUrl,
    String publicKey, String jwks, Duration fetchTimeout, long maxBytes) {

  /** The kinds of source; exactly one is configured. */
  public enum Kind {
    FILE("file"), DIRECTORY("directory"), URL("url");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    /** The config key's last part ({@code policy.<key>}). */
    public String key() {
      return key;
    }
  }

  /** A policy file without a signature, with the default fetch bounds (tests, tools). */
  public static PolicySourceSettings file(Path file) {
    return new PolicySourceSettings(Kind.FILE, file.toString(), null, null, null,
        PolicySourceConfigReader.DEFAULT_FETCH_TIMEOUT, PolicySourceConfigReader.DEFAULT_MAX_BYTES);
  }

  /** Whether a signature is required: a public key or a JWKS is configured. */
  public boolean signed() {
    return publicKey != null || jwks != null;
  }

  /** The path of a file or directory source. */
  public Path path() {
    if (kind == Kind.URL) {
      throw new IllegalStateException("a url source has no path");
    }
    return Path.of(location);
  }

  /** The URL of a url source. */
  public URI url() {
    return URI.create(location);
  }

  /** The location as messages may show it (a URL without user info or query). */
  public String shown() {
    return JwksLocation.shown(location);
  }
}
