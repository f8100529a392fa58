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
   * The SHA-256 of {@code token}'s UTF-8 bytes when it verified before and is still remembered
   * (computed once, when it was verified), else null. The caller still looks the digest up among
   * the policy's API keys first, so a JWT-shaped bearer value that a policy lists as an API key
   * (enabled, disabled or expired) is that key under that policy whatever was remembered; only
   * the hashing is saved. Cheap; the default remembers nothing.
   */
  default byte[] rememberedDigest(String token) {
    return null;
  }
}
