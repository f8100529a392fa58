package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.TokenAuthenticator;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Clock;

/** Verifies JWTs. Placeholder while issue 10 is being built: refuses every token. */
public final class JwtAuthenticator implements TokenAuthenticator {
  public JwtAuthenticator(JwtSettings settings, JwksKeys keys, Clock clock) {}

  @Override
  public Authentication authenticate(PolicySnapshot policy, String token) {
    return Authentication.refused(Reason.TOKEN_UNKNOWN_KEY, IdentifiedBy.JWT, "",
        "JWT verification is not built yet");
  }
}
