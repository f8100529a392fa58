package dev.temporalrbac.policy.identity.jwt;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.temporalrbac.policy.eval.Reason;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The checks a token passes once, whatever the time and the policy: its algorithm is accepted,
 * it names a key of the current JWKS that fits the algorithm, the signature verifies, it carries
 * {@code exp}, the required issuer and audience and a string subject. The algorithm is checked
 * against {@code identity.jwt.algorithms} before any key is looked at, so an unsigned or HMAC
 * token is refused as such and never verified (no algorithm confusion). Thread-safe; never
 * blocks: an unknown key id only asks {@link JwksKeys} for a background refetch.
 */
final class TokenVerifier {
  private final JwtSettings settings;
  private final JwksKeys keys;
  /** Signature checks left this second; taken only once every cheap check has passed. */
  private final VerificationBudget budget;
  private final ClaimsMapper mapper;

  TokenVerifier(JwtSettings settings, JwksKeys keys, VerificationBudget budget) {
    this.settings = settings;
    this.keys = keys;
    this.budget = budget;
    this.mapper = new ClaimsMapper(settings);
  }

  /**
   * A verified token, or why not.
   *
   * @param token the verified token; null when refused
   * @param reason why refused; null when verified
   * @param subject the subject once the signature verified (a refusal's credential id), else ""
   * @param message what failed, naming safe values and never the token
   */
  record Result(VerifiedToken token, Reason reason, String subject, String message) {
    static Result refused(Reason reason, String message) {
      return new Result(null, reason, "", message);
    }
  }

  Result verify(String token) {
    int dot = token.indexOf('.');
    Header header;
    try {
      header = Header.parse(new Base64URL(token.substring(0, Math.max(dot, 0))));
    } catch (ParseException | RuntimeException e) {
      return Result.refused(Reason.TOKEN_MALFORMED,
          "the JWT's header is not base64url-encoded JSON naming an alg");
    }
    String alg = header.getAlgorithm().getName();
    if (!(header instanceof JWSHeader jws) || !settings.algorithms().contains(alg)) {
      return Result.refused(Reason.TOKEN_FORBIDDEN_ALGORITHM, "the JWT's alg " + Shown.of(alg)
          + " is not accepted (identity.jwt.algorithms: " + String.join(", ",
          settings.algorithms()) + "; unsigned and HMAC tokens never are)");
    }
    String kid = jws.getKeyID();
    if (kid == null || kid.isEmpty()) {
      return Result.refused(Reason.TOKEN_MALFORMED,
          "the JWT's header names no key id (kid), which is required to pick its key");
    }
    KeySet set = keys.current();
    SigningKey key = set.get(kid);
    if (key == null) {
      keys.refetchSoon();
      return Result.refused(Reason.TOKEN_UNKNOWN_KEY, "the JWT's key id " + Shown.of(kid)
          + " is not in the JWKS from " + keys.source() + " (loaded at " + set.loadedAt()
          + "); the keys are being refetched (at most once per "
          + settings.unknownKeyRefetchInterval().toSeconds() + " s), retry shortly");
    }
    if (!key.fits(jws.getAlgorithm())) {
      return Result.refused(Reason.TOKEN_UNKNOWN_KEY, "the JWT's key " + Shown.of(kid) + " is an "
          + key.describe() + " key, which cannot verify alg " + alg);
    }
    return verifySigned(token, kid, key, jws.getAlgorithm());
  }

  private Result verifySigned(String token, String kid, SigningKey key, JWSAlgorithm alg) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return Result.refused(Reason.TOKEN_MALFORMED, "the JWT is not a valid compact JWS");
    }
    if (!budget.tryTake(VerificationBudget.cost(alg))) {
      return Result.refused(Reason.TOKEN_VERIFICATIONS_EXHAUSTED, "the proxy is checking more"
          + " new tokens' signatures than identity.jwt.max_verifications_per_second ("
          + budget.perSecond() + " RS256-equivalent checks) allows; this one was not checked:"
          + " retry shortly");
    }
    boolean valid;
    try {
      valid = jwt.verify(key.verifier());
    } catch (JOSEException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      return Result.refused(Reason.TOKEN_BAD_SIGNATURE, "the JWT's " + alg
          + " signature does not verify with key " + Shown.of(kid));
    }
    JWTClaimsSet claims;
    Map<String, Object> map; // as sent: nimbus's claims set turns a numeric sub into a string
    try {
      claims = jwt.getJWTClaimsSet();
      map = jwt.getPayload().toJSONObject();
    } catch (ParseException e) {
      return Result.refused(Reason.TOKEN_MALFORMED, "the JWT's payload is not a JSON object of"
          + " claims with well-typed registered claims (exp, nbf, iss, aud, sub)");
    }
    String subject = mapper.subjectOf(map);
    if (subject == null) {
      return new Result(null, Reason.TOKEN_MALFORMED, "", "the JWT's subject claim "
          + Shown.of(settings.subjectClaim()) + " is missing or not a non-empty string");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return new Result(null, Reason.TOKEN_MALFORMED, subject, "the JWT of subject "
          + Shown.of(subject) + " has no exp (expiry) claim, which is required");
    }
    if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
      return new Result(null, Reason.TOKEN_WRONG_ISSUER, subject, "the JWT of subject "
          + Shown.of(subject) + " was issued by " + Shown.of(claims.getIssuer())
          + "; identity.jwt.issuer requires " + Shown.of(settings.issuer()));
    }
    List<String> audience = claims.getAudience();
    if (settings.audience() != null && !audience.contains(settings.audience())) {
      return new Result(null, Reason.TOKEN_WRONG_AUDIENCE, subject, "the JWT of subject "
          + Shown.of(subject) + " is for audience " + (audience.isEmpty() ? "(none)"
          : Shown.of(String.join(", ", audience))) + "; identity.jwt.audience requires "
          + Shown.of(settings.audience()));
    }
    Date nbf = claims.getNotBeforeTime();
    return new Result(new VerifiedToken(key, exp.getTime(),
        nbf == null ? Long.MIN_VALUE : nbf.getTime(), mapper.rightsOf(subject, map)),
        null, subject, null);
  }
}
