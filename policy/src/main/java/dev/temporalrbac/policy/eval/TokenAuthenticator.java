package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.PolicySnapshot;

/**
 * Authenticates a bearer credential shaped as a compact JWS (a JWT). Implementations verify the
 * signature, the claims and map them to rights under the snapshot. Must be thread-safe and must
 * not block: keys are fetched in the background, never on a caller's thread.
 */
@FunctionalInterface
public interface TokenAuthenticator {
  /** The token's rights under {@code policy}, or why it is refused. Never logs the token. */
  Authentication authenticate(PolicySnapshot policy, String token);

  /**
   * Whether {@code token} verified and was admitted before and is still remembered: such a token
   * is a JWT, so the API key lookup (a SHA-256 of the whole token) can be skipped. A token verified
   * but refused so far (e.g. its subject unknown) is not: the next policy may hold it as an API
   * key. Cheap; the default remembers nothing.
   */
  default boolean remembers(String token) {
    return false;
  }
}
