package dev.temporalrbac.proxy.config;

import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.identity.mtls.MtlsSettings;

/**
 * The credentials {@code serve} accepts besides the policy's API keys ({@code identity.*},
 * {@code tls.client_*}). Immutable.
 *
 * @param jwt JWT bearer tokens; null when {@code identity.jwt.jwks} is not set
 * @param mtls client certificates name principals; null when {@code tls.client_auth} is none
 * @param clientAuth whether callers' TLS connections present client certificates
 */
public record IdentitySettings(JwtSettings jwt, MtlsSettings mtls, ClientAuth clientAuth) {
  public static IdentitySettings apiKeysOnly() {
    return new IdentitySettings(null, null, ClientAuth.NONE);
  }
}
