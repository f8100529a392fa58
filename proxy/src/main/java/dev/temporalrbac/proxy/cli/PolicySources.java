package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.config.PolicySourceSettings;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
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
import java.util.logging.Logger;

/**
 * Builds the source, signature check and watcher a {@link PolicySourceSettings} describes, and
 * runs a policy's first load as {@code serve} does. Stateless.
 */
final class PolicySources {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

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

  /**
   * The first load. A file or directory that does not load stops the start (exit 1); a URL that
   * cannot be fetched or verified, in whatever way that fails, does not: the proxy starts not
   * ready ({@link PolicyHolder#problem()} says why), denies every call and retries every reload
   * interval.
   */
  static void loadInitial(PolicyWatcher watcher, PolicySourceSettings source, String what)
      throws PolicyException {
    if (source.kind() != PolicySourceSettings.Kind.URL) {
      watcher.loadInitial();
      return;
    }
    watcher.checkNow();
    if (watcher.status().failed() > 0) {
      LOG.warning(() -> "no " + what + " is loaded yet from " + source.shown() + " ("
          + watcher.status().lastError() + "); "
          + (what.equals("policy") ? "not ready and denying every call; " : "")
          + "retrying every reload interval");
    }
  }

  /** Tells the metrics about shadow policy installs ({@code temporal_rbac_shadow_policy_info}). */
  static ReloadListener shadowListener(ProxyMetrics metrics) {
    return new ReloadListener() {
      @Override
      public void installed(PolicySnapshot snapshot) {
        metrics.shadowInstalled(snapshot);
      }

      @Override
      public void rejected(String source, String error) {
        // logged by the watcher; the shadow policy's failures are not the enforced policy's
      }
    };
  }
}
