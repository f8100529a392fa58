package dev.temporalrbac.proxy.config;

import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.identity.mtls.MtlsSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The credentials {@code serve} accepts besides the policy's API keys ({@code identity.*},
 * {@code tls.client_*}). Immutable.
 *
 * @param jwt JWT bearer tokens; null when {@code identity.jwt.jwks} is not set
 * @param mtls client certificates name principals; null when {@code tls.client_auth} is none
 * @param clientAuth whether callers' TLS connections present client certificates
 * @param clientCa {@code tls.client_ca}, the roots client certificates are verified against;
 *     null when unset
 */
public record IdentitySettings(JwtSettings jwt, MtlsSettings mtls, ClientAuth clientAuth,
    java.nio.file.Path clientCa) {
  /** Settings without the client CA's location (tests that build the TLS side themselves). */
  public IdentitySettings(JwtSettings jwt, MtlsSettings mtls, ClientAuth clientAuth) {
    this(jwt, mtls, clientAuth, null);
  }

  public static IdentitySettings apiKeysOnly() {
    return new IdentitySettings(null, null, ClientAuth.NONE);
  }

  /**
   * What these settings accept that an operator opted into explicitly and should see at start:
   * {@code issuer: any}, {@code audience: any}, keys over plain http from another host. One line
   * each; none hold a credential.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (jwt == null) {
      return warnings;
    }
    if (jwt.issuer() == null) {
      warnings.add("identity.jwt.issuer is any: tokens of every issuer whose keys are in the JWKS"
          + " are accepted, whatever tenant or realm issued them");
    }
    if (jwt.audience() == null) {
      warnings.add("identity.jwt.audience is any: tokens the identity provider issued to any"
          + " application are accepted, not only those meant for this proxy");
    }
    if (JwksLocation.isInsecure(jwt.jwks())) {
      warnings.add("identity.jwt.jwks " + JwksLocation.shown(jwt.jwks()) + " is plain http"
          + " (allow_insecure_jwks): whoever can answer on the network path chooses the keys");
    }
    return warnings;
  }
}
