package dev.temporalrbac.proxy.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * Settings of the config file that name a file, and how a relative one is read: against the
 * config file's folder, so {@code policy.file: policy.yaml} next to {@code proxy.yaml} works from
 * any working directory. A flag's value is not passed through here: a path typed on the command
 * line is relative to the working directory, as the shell completed it. Stateless.
 */
final class RelativePaths {
  /** Every setting whose value is a file path (the JWKS also when it is not a URL). */
  static final Set<String> FILE_SETTINGS = Set.of(
      "policy.file", "policy.directory", "policy.signature.public_key", "policy.signature.jwks",
      "policy.shadow.file", "policy.shadow.directory", "policy.shadow.signature.public_key",
      "policy.shadow.signature.jwks",
      "tls.cert", "tls.key", "tls.client_ca",
      "upstream.tls.ca", "upstream.tls.cert", "upstream.tls.key",
      "upstream.credentials.api_key_file", MintConfigReader.SIGNING_KEY_FILE,
      "identity.jwt.jwks",
      "audit.file");

  private RelativePaths() {}

  /**
   * {@code value} of {@code key} as read from {@code configFile}: a relative file path resolved
   * against the file's folder; any other value (other settings, absolute paths, URLs, blanks)
   * unchanged.
   */
  static String fromConfigFile(Path configFile, String key, String value) {
    if (!FILE_SETTINGS.contains(key) || value.isBlank() || value.contains("://")) {
      return value;
    }
    Path path = Path.of(value.trim());
    Path folder = configFile.getParent();
    return path.isAbsolute() || folder == null ? value : folder.resolve(path).toString();
  }
}
