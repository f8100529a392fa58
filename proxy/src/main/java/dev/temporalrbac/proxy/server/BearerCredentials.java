package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Outcome;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.List;

/**
 * Reads a caller's credentials from its {@code authorization} headers, strictly: exactly one
 * header of the form {@code Bearer <credential>} (RFC 6750: the scheme in any case, one or more
 * spaces, then a credential without whitespace). Anything else is refused rather than guessed
 * at, so a key sent by mistake under another scheme is never checked as if it were ours.
 * Stateless; any thread.
 */
final class BearerCredentials {
  static final String EXPECTED = "'authorization: Bearer <api key>'";
  private static final String SCHEME = "Bearer";

  private BearerCredentials() {}

  /**
   * Decides a call by {@code decider} for the caller the {@code authorizations} name; a malformed
   * header is denied here (as a decision, so dry run and metrics see it like any other).
   */
  static Decision decide(Decider decider, PolicySnapshot policy, List<String> authorizations,
      String method, byte[] body, List<String> headerNamespaces) {
    Caller caller = caller(authorizations);
    return caller == null
        ? malformed(authorizations.get(0), method, policy)
        : decider.decide(policy, caller, method, body, headerNamespaces);
  }

  /** The caller the headers name, or null when the one header present is malformed. */
  static Caller caller(List<String> authorizations) {
    if (authorizations.isEmpty()) {
      return Caller.anonymous();
    }
    if (authorizations.size() > 1) {
      return Caller.conflicting(authorizations.size());
    }
    String credential = credential(authorizations.get(0));
    return credential == null ? null : Caller.apiKey(credential);
  }

  /** The credential of {@code value}, or null when it is not {@code Bearer <credential>}. */
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

  /**
   * The denial of a call whose header {@code value} is malformed: what is wrong and the expected
   * form, never any part of the value itself (it may be a secret).
   */
  static Decision malformed(String value, String method, PolicySnapshot policy) {
    String header = value.strip();
    int space = header.indexOf(' ');
    String problem;
    if (header.equalsIgnoreCase(SCHEME)) {
      problem = "has the Bearer scheme but no credential";
    } else if (space < 0) {
      problem = "has no scheme";
    } else if (!header.substring(0, space).equalsIgnoreCase(SCHEME)) {
      problem = "does not use the Bearer scheme";
    } else {
      problem = "has whitespace inside its credential";
    }
    return new Decision(Outcome.DENY, Reason.MALFORMED_CREDENTIALS,
        "the authorization header " + problem + ": send " + EXPECTED, method, "", "", "", "",
        List.of(), "", policy == null ? "" : policy.version(), false, null);
  }
}
