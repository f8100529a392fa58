package dev.temporalrbac.policy.eval;

/**
 * The credentials an {@link Authorizer} accepts besides the policy's API keys: JWTs, when
 * {@code tokens} is set, and TLS client certificates, when {@code certificates} is set.
 * Immutable.
 *
 * <p>Precedence: a bearer credential, when sent, identifies the caller (an API key of the policy
 * when its hash matches one; otherwise a compact JWS is a JWT when tokens are accepted, anything
 * else an unknown API key); the certificate then only authenticates the connection. Without a bearer credential, a verified client certificate identifies the
 * caller.
 *
 * @param tokens verifies JWTs; null when JWTs are not accepted (every bearer value is an API key)
 * @param certificates names principals from client certificates; null when they are not used
 */
public record Identities(TokenAuthenticator tokens, CertificateAuthenticator certificates) {
  private static final Identities API_KEYS_ONLY = new Identities(null, null);

  /** Only the policy's API keys identify callers. */
  public static Identities apiKeysOnly() {
    return API_KEYS_ONLY;
  }

  /** What a caller may send, for the message of a call that sent nothing usable. */
  String accepted() {
    StringBuilder text = new StringBuilder("send the header 'authorization: Bearer <api key");
    text.append(tokens != null ? " or JWT>'" : ">'");
    if (certificates != null) {
      text.append(" or connect with a TLS client certificate that names a policy principal");
    }
    return text.toString();
  }
}
