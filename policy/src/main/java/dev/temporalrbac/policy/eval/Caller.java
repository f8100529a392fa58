package dev.temporalrbac.policy.eval;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How a caller presented itself: the {@code authorization} headers it sent, read strictly, and the
 * TLS client certificate chain its connection verified; or a principal id given by an operator
 * ({@code explain}). Secrets are held only for the duration of the call and never printed:
 * {@link #toString()} omits them.
 *
 * <p>Headers are read as RFC 6750 asks: exactly one header {@code Bearer <credential>} (the scheme
 * in any case, one or more spaces, a credential without whitespace). Several headers, or one in
 * another form, are refused rather than guessed at, since the proxy would check one reading and
 * the upstream might act on another. Immutable.
 */
public final class Caller {
  private static final String SCHEME = "Bearer";
  private static final Caller ANONYMOUS = new Caller(null, null, 0, null, List.of());

  private final String bearer;
  private final String principalId;
  private final int credentialCount;
  /** What is wrong with the one header sent, or null when it is well formed (or absent). */
  private final String problem;
  private final List<X509Certificate> chain;

  private Caller(String bearer, String principalId, int credentialCount, String problem,
      List<X509Certificate> chain) {
    this.bearer = bearer;
    this.principalId = principalId;
    this.credentialCount = credentialCount;
    this.problem = problem;
    this.chain = chain;
  }

  /**
   * The caller a call's headers and connection describe.
   *
   * @param authorizations every {@code authorization} header value, in order; empty when none
   * @param verifiedChain the TLS client certificate chain, leaf first, as the TLS layer verified
   *     it against the client CA; empty when the connection presented none
   */
  public static Caller fromRequest(List<String> authorizations,
      List<X509Certificate> verifiedChain) {
    List<X509Certificate> chain = List.copyOf(verifiedChain);
    if (authorizations.size() > 1) {
      return new Caller(null, null, authorizations.size(), null, chain);
    }
    if (authorizations.isEmpty()) {
      return chain.isEmpty() ? ANONYMOUS : new Caller(null, null, 0, null, chain);
    }
    String value = authorizations.get(0);
    String credential = credential(value);
    return credential == null
        ? new Caller(null, null, 1, problemOf(value), chain)
        : new Caller(credential, null, 1, null, chain);
  }

  /** A caller that sent {@code authorization: Bearer <credential>} (an API key or a JWT). */
  public static Caller apiKey(String credential) {
    return credential == null || credential.isEmpty()
        ? ANONYMOUS : new Caller(credential, null, 1, null, List.of());
  }

  /** Same as {@link #apiKey}: a bearer credential, an API key or a JWT by its shape. */
  public static Caller bearer(String credential) {
    return apiKey(credential);
  }

  /** A caller named by principal id, trusted as is (for {@code explain}). */
  public static Caller principal(String id) {
    return id == null || id.isEmpty() ? ANONYMOUS : new Caller(null, id, 1, null, List.of());
  }

  /** A caller with no credential at all (what {@link #fromRequest} gives for none). */
  static Caller anonymous() {
    return ANONYMOUS;
  }

  /** The credential of a header value, or null when it is not {@code Bearer <credential>}. */
  static String credential(String value) {
    String header = value.strip();
    int space = header.indexOf(' ');
    if (space != SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, space)) {
      return null;
    }
    String credential = header.substring(space + 1).stripLeading();
    for (int i = 0; i < credential.length(); i++) {
      if (Character.isWhitespace(credential.charAt(i))) {
        return null;
      }
    }
    return credential.isEmpty() ? null : credential;
  }

  /** What is wrong with a malformed header, without any part of its value (it may be a secret). */
  private static String problemOf(String value) {
    String header = value.strip();
    int space = header.indexOf(' ');
    if (header.equalsIgnoreCase(SCHEME)) {
      return "has the Bearer scheme but no credential";
    } else if (space < 0) {
      return "has no scheme";
    } else if (!header.substring(0, space).equalsIgnoreCase(SCHEME)) {
      return "does not use the Bearer scheme";
    }
    return "has whitespace inside its credential";
  }

  /** The bearer credential (API key secret or JWT), or null. */
  String bearer() {
    return bearer;
  }

  String principalId() {
    return principalId;
  }

  /** How many authorization headers the caller sent; more than one is refused. */
  int credentialCount() {
    return credentialCount;
  }

  /** What is wrong with the one authorization header sent, or null. */
  String malformedProblem() {
    return problem;
  }

  /** The verified client certificate chain, leaf first; empty when none. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public String toString() {
    String cert = chain.isEmpty() ? "" : " with client certificate";
    if (bearer != null) {
      return "Caller[bearer credential" + cert + "]";
    }
    if (principalId != null) {
      return "Caller[principal " + principalId + "]";
    }
    if (problem != null) {
      return "Caller[malformed authorization" + cert + "]";
    }
    if (credentialCount > 1) {
      return "Caller[" + credentialCount + " credentials" + cert + "]";
    }
    return chain.isEmpty() ? "Caller[anonymous]" : "Caller[client certificate]";
  }
}
