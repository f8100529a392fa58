package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.eval.CertificateAuthenticator;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.TokenAuthenticator;
import dev.temporalrbac.policy.identity.jwt.JwksKeys;
import dev.temporalrbac.policy.identity.jwt.JwtAuthenticator;
import dev.temporalrbac.policy.identity.mtls.CertificateIdentities;
import dev.temporalrbac.proxy.config.IdentitySettings;
import dev.temporalrbac.proxy.config.JwksLocation;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The authenticators a configuration's identity settings ask for, built the one way both
 * {@code serve} and {@code explain} use, so that {@code explain} decides as the wire does. The
 * JWKS, when JWTs are accepted, is loaded before anything else: a proxy that cannot verify any
 * token does not start.
 *
 * <p>Threading: built and closed on one thread; {@link #identities()} is immutable and shared by
 * every transport thread; the keys refresh on the scheduler given to {@link #start}.
 */
final class IdentityEngine implements AutoCloseable {
  private final JwksKeys keys;
  private final Identities identities;

  private IdentityEngine(JwksKeys keys, Identities identities) {
    this.keys = keys;
    this.identities = identities;
  }

  /**
   * Builds the authenticators, loading the JWKS once.
   *
   * @throws IOException when the JWKS cannot be read or holds no usable key; the message names
   *     its location and the problem
   */
  static IdentityEngine load(IdentitySettings settings, Clock clock) throws IOException {
    JwksKeys keys = null;
    TokenAuthenticator tokens = null;
    if (settings.jwt() != null) {
      keys = new JwksKeys(settings.jwt(), clock);
      try {
        keys.loadInitial();
      } catch (IOException e) {
        keys.close();
        // the location may hold user:pass@ or ?token=: only its shown form is printed
        throw new IOException("cannot load the JWKS " + JwksLocation.shown(settings.jwt().jwks())
            + " (identity.jwt.jwks): " + e.getMessage(), e);
      }
      tokens = new JwtAuthenticator(settings.jwt(), keys, clock);
    }
    CertificateAuthenticator certificates = settings.mtls() == null
        ? null : new CertificateIdentities(settings.mtls());
    return new IdentityEngine(keys, new Identities(tokens, certificates));
  }

  /** What the authorizer accepts besides API keys. */
  Identities identities() {
    return identities;
  }

  /** The JWKS, refreshed once started; null when JWTs are not accepted. */
  JwksKeys keys() {
    return keys;
  }

  /** Starts refreshing the JWKS on {@code scheduler} (nothing to do without JWTs). */
  void start(ScheduledExecutorService scheduler) {
    if (keys != null) {
      keys.start(scheduler);
    }
  }

  @Override
  public void close() {
    if (keys != null) {
      keys.close();
    }
  }
}
