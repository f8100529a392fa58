package dev.temporalrbac.proxy.config;

import com.nimbusds.jose.jwk.ECKey;
import dev.temporalrbac.proxy.mint.SigningKeys;
import dev.temporalrbac.proxy.mint.TokenMinter;
import dev.temporalrbac.proxy.server.UpstreamCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code upstream.credentials.mode: mint}'s settings ({@code issuer}, {@code audience},
 * {@code token_ttl}, {@code signing_key_file}) and loads or generates the signing key, so a bad
 * key file is reported with the rest of the configuration, before anything listens. Problems go
 * to the loader's error list. One instance reads one configuration; not thread-safe.
 */
final class MintConfigReader {
  static final String ISSUER = "upstream.credentials.issuer";
  static final String AUDIENCE = "upstream.credentials.audience";
  static final String TOKEN_TTL = "upstream.credentials.token_ttl";
  static final String SIGNING_KEY_FILE = "upstream.credentials.signing_key_file";

  private final List<String> errors;

  /** {@code errors} is the loader's list; problems are appended to it. */
  MintConfigReader(List<String> errors) {
    this.errors = errors;
  }

  /**
   * Mint mode's credentials when {@code mode} is {@code mint} (strip mode's when a setting is
   * wrong, with the error reported); otherwise null, and any mint setting given is reported,
   * since it would do nothing.
   */
  UpstreamCredentials read(Map<String, String> s, String mode) {
    if (!mode.equals("mint")) {
      refuseOutsideMint(s, mode);
      return null;
    }
    String issuer = s.getOrDefault(ISSUER, TokenMinter.DEFAULT_ISSUER).trim();
    if (issuer.isEmpty()) {
      errors.add(ISSUER + " must not be empty");
    }
    String audience = s.get(AUDIENCE);
    if (audience != null && audience.isBlank()) {
      errors.add(AUDIENCE + " is set but empty (leave it out for no aud claim)");
    }
    Duration ttl = null;
    try {
      Duration read = SettingValues.atLeast(TokenMinter.MIN_TTL,
          "a token is renewed at half its lifetime").apply(s.getOrDefault(TOKEN_TTL, "5m").trim());
      if (read.compareTo(TokenMinter.MAX_TTL) > 0) {
        throw new IllegalArgumentException("must be at most 1h (a minted token cannot be revoked"
            + " short of rotating the signing key), got '" + s.get(TOKEN_TTL) + "'");
      }
      ttl = read;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      errors.add(TOKEN_TTL + ": " + e.getMessage());
    }
    ECKey key = null;
    String file = s.get(SIGNING_KEY_FILE);
    try {
      key = file == null || file.isBlank()
          ? SigningKeys.generate() : SigningKeys.read(Path.of(file.trim()));
    } catch (IllegalArgumentException e) {
      errors.add(SIGNING_KEY_FILE + ": " + e.getMessage());
    }
    if (issuer.isEmpty() || (audience != null && audience.isBlank()) || ttl == null
        || key == null) {
      return UpstreamCredentials.strip();
    }
    return UpstreamCredentials.mint(new TokenMinter(key, issuer,
        audience == null ? null : audience.trim(), ttl, Clock.systemUTC()));
  }

  private void refuseOutsideMint(Map<String, String> s, String mode) {
    List<String> stray = Stream.of(ISSUER, AUDIENCE, TOKEN_TTL, SIGNING_KEY_FILE)
        .filter(s::containsKey).collect(Collectors.toList());
    if (!stray.isEmpty()) {
      errors.add(String.join(", ", stray) + (stray.size() == 1 ? " is" : " are")
          + " set but upstream.credentials.mode is " + mode + ", not mint");
    }
  }
}
