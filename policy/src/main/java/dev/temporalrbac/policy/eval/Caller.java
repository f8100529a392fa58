package dev.temporalrbac.policy.eval;

/**
 * How a caller presented itself: an API key secret (the wire), a principal id (what-if checks by
 * an operator), or nothing. The secret is held only for the duration of the call and never
 * printed: {@link #toString()} omits it.
 */
public final class Caller {
  private static final Caller ANONYMOUS = new Caller(null, null, 0);

  private final String apiKeySecret;
  private final String principalId;
  private final int credentialCount;

  private Caller(String apiKeySecret, String principalId, int credentialCount) {
    this.apiKeySecret = apiKeySecret;
    this.principalId = principalId;
    this.credentialCount = credentialCount;
  }

  /** A caller that sent {@code authorization: Bearer <secret>}. */
  public static Caller apiKey(String secret) {
    return secret == null || secret.isEmpty() ? ANONYMOUS : new Caller(secret, null, 1);
  }

  /**
   * A caller that sent {@code count} (more than one) authorization headers: refused, since the
   * proxy would check one and the upstream might act on another.
   */
  public static Caller conflicting(int count) {
    if (count < 2) {
      throw new IllegalArgumentException("conflicting credentials need at least two");
    }
    return new Caller(null, null, count);
  }

  /** A caller named by principal id, trusted as is (for {@code explain}). */
  public static Caller principal(String id) {
    return id == null || id.isEmpty() ? ANONYMOUS : new Caller(null, id, 1);
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

  /** How many credentials the caller presented; more than one is refused. */
  int credentialCount() {
    return credentialCount;
  }

  @Override
  public String toString() {
    if (apiKeySecret != null) {
      return "Caller[api key]";
    }
    if (principalId != null) {
      return "Caller[principal " + principalId + "]";
    }
    return credentialCount > 1 ? "Caller[" + credentialCount + " credentials]" : "Caller[anonymous]";
  }
}
