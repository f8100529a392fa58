package dev.temporalrbac.policy.identity.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a token is refused, and the tokens that are accepted. */
class JwtAuthenticatorTest {
  private static final RSAKey RSA = Tokens.rsa("rsa-1");
  private static final ECKey EC = Tokens.ec("ec-1");
  private static final RSAKey STRANGER = Tokens.rsa("stranger");

  private final PolicySnapshot policy = Fixtures.standard().build();
  private JwksServer server;
  private JwksKeys keys;

  @BeforeEach
  void serve() throws Exception {
    server = new JwksServer(RSA, EC);
    keys = new JwksKeys(Settings.of(server.url()).build(), Tokens.CLOCK);
    keys.loadInitial();
  }

  @AfterEach
  void stop() {
    keys.close();
    server.close();
  }

  private JwtAuthenticator authenticator(Settings settings) {
    return new JwtAuthenticator(settings.build(), keys, Tokens.CLOCK);
  }

  private Authentication check(String token) {
    return authenticator(Settings.of(server.url())).authenticate(policy, token);
  }

  /** Refused for {@code reason}, the message naming each fragment and never the token. */
  private static void assertRefused(Authentication result, Reason reason, String token,
      String... fragments) {
    assertFalse(result.authenticated(), "accepted: " + result);
    assertEquals(reason, result.reason(), result.message());
    assertEquals(IdentifiedBy.JWT, result.identifiedBy());
    for (String fragment : fragments) {
      assertTrue(result.message().contains(fragment),
          () -> "'" + fragment + "' not in: " + result.message());
    }
    assertFalse(result.message().contains(token), "the message shows the token");
    for (String part : token.split("\\.")) {
      if (part.length() > 8) {
        assertFalse(result.message().contains(part), "the message shows part of the token");
      }
    }
  }

  @Test
  void acceptsRs256AndEs256TokensOfAPolicyUser() {
    for (String token : List.of(Tokens.sign(RSA, Tokens.claims("viewer").build()),
        Tokens.sign(EC, Tokens.claims("viewer").build()))) {
      Authentication result = check(token);
      assertTrue(result.authenticated(), () -> result.message());
      assertEquals("viewer", result.credentialId());
      assertEquals(IdentifiedBy.JWT, result.identifiedBy());
      assertEquals("viewer", result.rights().principalId());
    }
  }

  @Test
  void refusesUnsignedTokens() {
    String token = Tokens.unsigned("{\"alg\":\"none\"}", Tokens.claims("admin").build());
    assertRefused(check(token), Reason.TOKEN_FORBIDDEN_ALGORITHM, token, "'none'", "RS256");
    String withKid = Tokens.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}",
        Tokens.claims("admin").build());
    assertRefused(check(withKid), Reason.TOKEN_FORBIDDEN_ALGORITHM, withKid, "'none'");
  }

  @Test
  void refusesHs256MacedWithTheRsaPublicKey() throws JOSEException {
    byte[] publicKeyBytes = RSA.toRSAPublicKey().getEncoded();
    String token = Tokens.hs256("rsa-1", publicKeyBytes, Tokens.claims("admin").build());
    assertRefused(check(token), Reason.TOKEN_FORBIDDEN_ALGORITHM, token, "'HS256'", "HMAC");
    // the JWKS's own JSON text of the key, another favourite of confusion attacks
    String fromJson = Tokens.hs256("rsa-1",
        RSA.toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Tokens.claims("admin").build());
    assertRefused(check(fromJson), Reason.TOKEN_FORBIDDEN_ALGORITHM, fromJson, "'HS256'");
  }

  @Test
  void refusesAnAsymmetricAlgorithmNotConfigured() {
    String token = Tokens.sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("rsa-1")
        .build(), Tokens.claims("viewer").build());
    assertRefused(check(token), Reason.TOKEN_FORBIDDEN_ALGORITHM, token, "'RS512'",
        "RS256, ES256");
    Authentication allowed = new JwtAuthenticator(Settings.of(server.url())
        .algorithms("RS512").build(), keys, Tokens.CLOCK).authenticate(policy, token);
    assertTrue(allowed.authenticated(), () -> allowed.message());
  }

  @Test
  void refusesATokenFromAKeyNotInTheSet() {
    String token = Tokens.sign(STRANGER, Tokens.claims("viewer").build());
    assertRefused(check(token), Reason.TOKEN_UNKNOWN_KEY, token, "'stranger'", "refetched",
        server.url());
  }

  @Test
  void refusesAKeyWhoseTypeDoesNotFitTheAlgorithm() {
    String token = Tokens.sign(EC, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1")
        .build(), Tokens.claims("viewer").build());
    assertRefused(check(token), Reason.TOKEN_UNKNOWN_KEY, token, "'rsa-1'", "RSA", "ES256");
  }

  @Test
  void refusesASignatureByAnotherKeyUnderAKnownKid() {
    String token = Tokens.sign(STRANGER, new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID("rsa-1").build(), Tokens.claims("viewer").build());
    assertRefused(check(token), Reason.TOKEN_BAD_SIGNATURE, token, "'rsa-1'", "RS256");
  }

  @Test
  void refusesATamperedPayload() {
    String token = Tokens.sign(RSA, Tokens.claims("viewer").build());
    String[] parts = token.split("\\.");
    String forged = parts[0] + "."
        + Base64URL.encode(Tokens.claims("admin").build().toString()) + "." + parts[2];
    assertRefused(check(forged), Reason.TOKEN_BAD_SIGNATURE, forged, "does not verify");
    assertEquals("", check(forged).credentialId(), "an unverified subject is not reported");
  }

  @Test
  void refusesExpiredTokensBeyondTheClockSkew() {
    String expired = Tokens.sign(RSA, Tokens.claims("viewer")
        .expirationTime(Date.from(Tokens.NOW.minus(Duration.ofSeconds(61)))).build());
    assertRefused(check(expired), Reason.TOKEN_EXPIRED, expired, "'viewer'", "expired at",
        "2026-06-01T11:58:59Z");
    assertEquals("viewer", check(expired).credentialId());
    String withinSkew = Tokens.sign(RSA, Tokens.claims("viewer")
        .expirationTime(Date.from(Tokens.NOW.minus(Duration.ofSeconds(30)))).build());
    assertTrue(check(withinSkew).authenticated());
  }

  @Test
  void refusesTokensNotYetValidBeyondTheClockSkew() {
    String early = Tokens.sign(RSA, Tokens.claims("viewer")
        .notBeforeTime(Date.from(Tokens.NOW.plus(Duration.ofMinutes(2)))).build());
    assertRefused(check(early), Reason.TOKEN_NOT_YET_VALID, early, "'viewer'",
        "2026-06-01T12:02:00Z");
    String withinSkew = Tokens.sign(RSA, Tokens.claims("viewer")
        .notBeforeTime(Date.from(Tokens.NOW.plus(Duration.ofSeconds(30)))).build());
    assertTrue(check(withinSkew).authenticated());
  }

  @Test
  void requiresTheIssuerWhenOneIsSet() {
    JwtAuthenticator auth = authenticator(Settings.of(server.url())
        .issuer("https://idp.example.com"));
    String wrong = Tokens.sign(RSA, Tokens.claims("viewer").issuer("https://evil.example")
        .build());
    assertRefused(auth.authenticate(policy, wrong), Reason.TOKEN_WRONG_ISSUER, wrong,
        "'https://evil.example'", "'https://idp.example.com'");
    String none = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertRefused(auth.authenticate(policy, none), Reason.TOKEN_WRONG_ISSUER, none, "(none)");
    String prefix = Tokens.sign(RSA, Tokens.claims("viewer")
        .issuer("https://idp.example.com/").build());
    assertRefused(auth.authenticate(policy, prefix), Reason.TOKEN_WRONG_ISSUER, prefix);
    String right = Tokens.sign(RSA, Tokens.claims("viewer").issuer("https://idp.example.com")
        .build());
    assertTrue(auth.authenticate(policy, right).authenticated());
  }

  @Test
  void requiresTheAudienceWhenOneIsSet() {
    JwtAuthenticator auth = authenticator(Settings.of(server.url()).audience("temporal"));
    String wrong = Tokens.sign(RSA, Tokens.claims("viewer").audience("grafana").build());
    assertRefused(auth.authenticate(policy, wrong), Reason.TOKEN_WRONG_AUDIENCE, wrong,
        "'grafana'", "'temporal'");
    String none = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertRefused(auth.authenticate(policy, none), Reason.TOKEN_WRONG_AUDIENCE, none, "(none)");
    String among = Tokens.sign(RSA, Tokens.claims("viewer").audience(List.of("x", "temporal"))
        .build());
    assertTrue(auth.authenticate(policy, among).authenticated());
    String single = Tokens.sign(RSA, Tokens.claims("viewer").audience("temporal").build());
    assertTrue(auth.authenticate(policy, single).authenticated());
  }

  @Test
  void refusesMalformedTokens() throws JOSEException {
    String notJson = Tokens.raw("not json", "{}", "c2ln");
    assertRefused(check(notJson), Reason.TOKEN_MALFORMED, notJson, "header");
    String noAlg = Tokens.raw("{\"kid\":\"rsa-1\"}", "{}", "c2ln");
    assertRefused(check(noAlg), Reason.TOKEN_MALFORMED, noAlg, "alg");
    String noKid = Tokens.sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
        Tokens.claims("viewer").build());
    assertRefused(check(noKid), Reason.TOKEN_MALFORMED, noKid, "kid");
    String noExp = Tokens.sign(RSA, new JWTClaimsSet.Builder().subject("viewer").build());
    assertRefused(check(noExp), Reason.TOKEN_MALFORMED, noExp, "exp", "'viewer'");
    String noSubject = Tokens.sign(RSA, Tokens.claims("viewer").subject(null).build());
    assertRefused(check(noSubject), Reason.TOKEN_MALFORMED, noSubject, "'sub'", "missing");
    String numberSubject = Tokens.sign(RSA, Tokens.claims(null).claim("sub", 42).build());
    assertRefused(check(numberSubject), Reason.TOKEN_MALFORMED, numberSubject, "'sub'");
    JWSObject text = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
        .build(), new Payload("signed, but not JSON"));
    text.sign(new RSASSASigner(RSA));
    String signedText = text.serialize();
    assertRefused(check(signedText), Reason.TOKEN_MALFORMED, signedText, "payload");
    String huge = Tokens.sign(RSA, Tokens.claims("viewer").claim("pad", "x".repeat(20_000))
        .build());
    assertRefused(check(huge), Reason.TOKEN_MALFORMED, huge, "16384");
  }

  @Test
  void refusesAnUnknownSubjectWithoutADefaultRole() {
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    assertRefused(authenticator(Settings.of(server.url()).defaultRole(null))
        .authenticate(policy, token), Reason.TOKEN_UNKNOWN_SUBJECT, token, "'someone@idp'",
        "default_role is none");
    assertTrue(check(token).authenticated(), "with the default role read_only it is a token user");
  }

  @Test
  void aRememberedTokenStillExpiresByTheClock() {
    MutableClock clock = new MutableClock(Tokens.NOW);
    JwtAuthenticator auth = new JwtAuthenticator(Settings.of(server.url()).build(), keys, clock);
    String token = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertTrue(auth.authenticate(policy, token).authenticated());
    assertTrue(auth.authenticate(policy, token).authenticated());
    clock.advance(Duration.ofHours(2));
    assertRefused(auth.authenticate(policy, token), Reason.TOKEN_EXPIRED, token, "'viewer'");
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsKeyLeftTheSet() throws Exception {
    JwtAuthenticator auth = authenticator(Settings.of(server.url()));
    String token = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertTrue(auth.authenticate(policy, token).authenticated());
    server.serve(EC);
    keys.loadInitial();
    assertRefused(auth.authenticate(policy, token), Reason.TOKEN_UNKNOWN_KEY, token, "'rsa-1'");
  }

  @Test
  void aRememberedTokenSurvivesARefreshThatKeptItsKey() throws Exception {
    JwtAuthenticator auth = authenticator(Settings.of(server.url()));
    String token = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertTrue(auth.authenticate(policy, token).authenticated());
    SigningKey before = keys.current().get("rsa-1");
    keys.loadInitial();
    assertTrue(before == keys.current().get("rsa-1"), "an unchanged key keeps its instance");
    assertTrue(auth.authenticate(policy, token).authenticated());
  }

  @Test
  void newTokensAreCheckedWithinABudgetWhileRememberedOnesNeedNone() {
    MutableClock clock = new MutableClock(Tokens.NOW);
    JwtAuthenticator auth = new JwtAuthenticator(
        Settings.of(server.url()).maxVerificationsPerSecond(1).build(), keys, clock);
    String first = Tokens.sign(RSA, Tokens.claims("viewer").build());
    String second = Tokens.sign(RSA, Tokens.claims("writer").build());
    assertTrue(auth.authenticate(policy, first).authenticated());
    Authentication spent = auth.authenticate(policy, second);
    assertRefused(spent, Reason.TOKEN_VERIFICATIONS_EXHAUSTED, second,
        "max_verifications_per_second (1 ", "retry");
    assertEquals(dev.temporalrbac.policy.eval.StatusCode.RESOURCE_EXHAUSTED,
        spent.reason().status());
    // the first token is remembered: accepted again although no check is left this second
    assertTrue(auth.authenticate(policy, first).authenticated());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(auth.authenticate(policy, second).authenticated());
  }

  @Test
  void aRememberedTokenIsCheckedAgainWhenItsKidNowNamesOtherKeyMaterial() throws Exception {
    JwtAuthenticator auth = authenticator(Settings.of(server.url()));
    String token = Tokens.sign(RSA, Tokens.claims("viewer").build());
    assertTrue(auth.authenticate(policy, token).authenticated());
    server.serve(Tokens.rsa("rsa-1"), EC); // same kid, new key pair
    keys.loadInitial();
    assertRefused(auth.authenticate(policy, token), Reason.TOKEN_BAD_SIGNATURE, token,
        "'rsa-1'");
  }

  @Test
  void onlyTokensThatPassTheCheapChecksSpendTheBudget() {
    JwtAuthenticator auth = new JwtAuthenticator(
        Settings.of(server.url()).maxVerificationsPerSecond(1).build(), keys, Tokens.CLOCK);
    for (int i = 0; i < 10; i++) {
      String unsigned = Tokens.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}",
          Tokens.claims("viewer-" + i).build());
      assertEquals(Reason.TOKEN_FORBIDDEN_ALGORITHM, auth.authenticate(policy, unsigned).reason());
      String unknown = Tokens.sign(STRANGER, Tokens.claims("viewer-" + i).build());
      assertEquals(Reason.TOKEN_UNKNOWN_KEY, auth.authenticate(policy, unknown).reason());
    }
    assertTrue(auth.authenticate(policy, Tokens.sign(RSA, Tokens.claims("viewer").build()))
        .authenticated(), "junk that never reached a signature check spent nothing");
  }

  @Test
  void anEcdsaCheckCostsFiveRsaChecks() {
    JwtAuthenticator auth = new JwtAuthenticator(
        Settings.of(server.url()).maxVerificationsPerSecond(5).build(), keys, Tokens.CLOCK);
    assertTrue(auth.authenticate(policy, Tokens.sign(EC, Tokens.claims("viewer").build()))
        .authenticated());
    assertEquals(Reason.TOKEN_VERIFICATIONS_EXHAUSTED, auth.authenticate(policy,
        Tokens.sign(RSA, Tokens.claims("writer").build())).reason(), "five units spent");
  }
}
