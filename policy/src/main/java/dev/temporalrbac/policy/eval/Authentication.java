package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.EffectiveRights;
import java.util.Objects;

/**
 * What a token or certificate authenticator concluded about one credential: the rights it carries
 * under a snapshot, or why it was refused. Immutable; an authenticator may hand out the same
 * instance to many calls.
 *
 * @param rights the caller's rights; null when refused
 * @param identifiedBy the kind of credential
 * @param credentialId which credential, for audit and messages: a JWT's subject, a certificate's
 *     principal name; never a secret; may be empty when it could not be read
 * @param reason why it was refused (an UNAUTHENTICATED reason); null when authenticated
 * @param message what was wrong, naming the reason and never the credential itself; null when
 *     authenticated
 */
public record Authentication(EffectiveRights rights, IdentifiedBy identifiedBy,
    String credentialId, Reason reason, String message) {

  public Authentication {
    Objects.requireNonNull(identifiedBy, "identifiedBy");
    Objects.requireNonNull(credentialId, "credentialId");
    if ((rights == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of rights and reason");
    }
    if (reason != null && reason.status() != StatusCode.UNAUTHENTICATED
        && reason != Reason.TOKEN_VERIFICATIONS_EXHAUSTED) {
      throw new IllegalArgumentException(reason + " is not an authentication failure");
    }
    if (reason != null) {
      Objects.requireNonNull(message, "message");
    }
  }

  public static Authentication of(EffectiveRights rights, IdentifiedBy by, String credentialId) {
    return new Authentication(Objects.requireNonNull(rights, "rights"), by, credentialId, null,
        null);
  }

  public static Authentication refused(Reason reason, IdentifiedBy by, String credentialId,
      String message) {
    return new Authentication(null, by, credentialId, Objects.requireNonNull(reason, "reason"),
        message);
  }

  public boolean authenticated() {
    return rights != null;
  }
}
