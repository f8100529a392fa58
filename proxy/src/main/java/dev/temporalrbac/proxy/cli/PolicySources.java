package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.proxy.config.PolicySourceSettings;
import dev.temporalrbac.proxy.policy.DirectorySource;
import dev.temporalrbac.proxy.policy.FileSource;
import dev.temporalrbac.proxy.policy.HttpSource;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.PolicySignature;
import dev.temporalrbac.proxy.policy.PolicySource;
import dev.temporalrbac.proxy.policy.PolicyWatcher;
import dev.temporalrbac.proxy.policy.ReloadListener;
import dev.temporalrbac.proxy.policy.SignatureKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Builds the source, signature check and watcher a {@link PolicySourceSettings} describes. */
final class PolicySources {
  private PolicySources() {}

  /** The source of {@code settings}: a file, a directory or a URL, signed or not. */
  static PolicySource source(PolicySourceSettings settings) {
    return switch (settings.kind()) {
      case FILE -> new FileSource(settings.path(), settings.signed());
      case DIRECTORY -> new DirectorySource(settings.path(), settings.signed());
      case URL -> HttpSource.create(settings.url(),
          settings.signatureUrl() == null ? null : URI.create(settings.signatureUrl()),
          settings.fetchTimeout(), settings.maxBytes());
    };
  }

  /** The signature check of {@code settings}; null when no key is configured. */
  static PolicySignature signature(PolicySourceSettings settings) {
    if (settings.publicKey() != null) {
      return new PolicySignature(SignatureKeys.file(Path.of(settings.publicKey())));
    }
    if (settings.jwks() == null) {
      return null;
    }
    return new PolicySignature(settings.jwks().contains("://")
        ? SignatureKeys.url(URI.create(settings.jwks()), settings.fetchTimeout())
        : SignatureKeys.file(Path.of(settings.jwks())));
  }

  /** A watcher of {@code settings} installing into {@code holder}; settle applies to files. */
  static PolicyWatcher watcher(PolicySourceSettings settings, PolicyHolder holder,
      ReloadListener listener, Clock clock, Duration settle) {
    return new PolicyWatcher(source(settings), signature(settings), holder, listener, clock,
        settle);
  }
}
