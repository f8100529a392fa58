package dev.temporalrbac.policy.eval;

/**
 * How a caller presented itself: an API key secret (the wire), a principal id (what-if checks by
 * an operator), or nothing. The secret is held only for the duration of the call and never
 * printed: {@link #toString()} omits it.
 */
public final class Caller {
  private static final Caller ANONYMOUS = new Caller(null, null);

  private final String apiKeySecret;
  private final String principalId;

  private Caller(String apiKeySecret, String principalId) {
    this.apiKeySecret = apiKeySecret;
    this.principalId = principalId;
  }

  /** A caller that sent {@code authorization: Bearer <secret>}. */
  public static Caller apiKey(String secret) {
    return secret == null || secret.isEmpty() ? ANONYMOUS : new Caller(secret, null);
  }

  /** A caller named by principal id, trusted as is (for {@code explain}). */
  public static Caller principal(String id) {
    return id == null || id.isEmpty() ? ANONYMOUS : new Caller(null, id);
  }

  public static Caller anonymous() {
    return ANONYMOUS;
  }

  String apiKeySecret() {
    return apiKeySecret;
  }

  String principalId() {
    return principalId;
  }

  @Override
  public String toString() {
    if (apiKeySecret != null) {
      return "Caller[api key]";
    }
    return principalId != null ? "Caller[principal " + principalId + "]" : "Caller[anonymous]";
  }
}
