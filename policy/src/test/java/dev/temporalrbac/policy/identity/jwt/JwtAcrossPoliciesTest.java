package dev.temporalrbac.policy.identity.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One token decided under two policies (enforced and shadow, or before and after a reload): its
 * signature is verified once, whatever the first policy made of its subject, and each policy still
 * admits or refuses it by its own users.
 */
class JwtAcrossPoliciesTest {
  private static final RSAKey RSA = Tokens.rsa("rsa-1");
  private static final String START = Fixtures.WF + "StartWorkflowExecution";

  /** Does not know someone@idp. */
  private final PolicySnapshot withoutHer = Fixtures.standard().build();
  /** Knows someone@idp as a writer on ns1. */
  private final PolicySnapshot withHer =
      Fixtures.standard().user("someone@idp", "read_only", "ns1=write").build();
  private JwksServer server;
  private JwksKeys keys;

  @BeforeEach
  void serve() throws Exception {
    server = new JwksServer(RSA);
    keys = new JwksKeys(Settings.of(server.url()).build(), Tokens.CLOCK);
    keys.loadInitial();
  }

  @AfterEach
  void stop() {
    keys.close();
    server.close();
  }

  /** Without a default role, at most {@code perSecond} signature checks (RS256: one each). */
  private JwtAuthenticator authenticator(int perSecond) {
    return new JwtAuthenticator(Settings.of(server.url()).defaultRole(null)
        .maxVerificationsPerSecond(perSecond).build(), keys, Tokens.CLOCK);
  }

  @Test
  void aTokenRefusedForItsSubjectIsNotVerifiedAgainUnderAPolicyThatKnowsIt() {
    JwtAuthenticator auth = authenticator(1);
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, auth.authenticate(withoutHer, token).reason());
    // the one check of this second is spent: a second verification would be refused EXHAUSTED
    Authentication admitted = auth.authenticate(withHer, token);
    assertTrue(admitted.authenticated(), admitted.message());
    assertEquals("someone@idp", admitted.credentialId());
    assertEquals(Reason.TOKEN_VERIFICATIONS_EXHAUSTED, auth.authenticate(withHer,
        Tokens.sign(RSA, Tokens.claims("writer").build())).reason(), "the budget is spent");
  }

  @Test
  void theBudgetIsSpentOnceForBothPolicies() {
    JwtAuthenticator auth = authenticator(2);
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, auth.authenticate(withoutHer, token).reason());
    assertTrue(auth.authenticate(withHer, token).authenticated());
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, auth.authenticate(withoutHer, token).reason(),
        "still refused under the policy that does not know her");
    assertTrue(auth.authenticate(withoutHer, Tokens.sign(RSA, Tokens.claims("writer").build()))
        .authenticated(), "one of two checks left for another caller's new token");
  }

  @Test
  void aPolicyThatDoesNotKnowTheSubjectStillRefusesTheRememberedToken() {
    JwtAuthenticator auth = authenticator(1);
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    assertTrue(auth.authenticate(withHer, token).authenticated());
    Authentication refused = auth.authenticate(withoutHer, token);
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, refused.reason(), refused.message());
    assertTrue(refused.message().contains("'someone@idp'"), refused.message());
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, auth.authenticate(withoutHer, token).reason());
    assertTrue(auth.authenticate(withHer, token).authenticated());
  }

  @Test
  void aTokenRefusedEverywhereSoFarIsStillFoundAsAnApiKeyFirst() {
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    PolicySnapshot keyed = Fixtures.standard().apiKey("jwt-shaped", "writer", token, null, false)
        .build();
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Tokens.CLOCK,
        new Identities(authenticator(1), null));
    byte[] body = Fixtures.withNamespace(START, "ns1");
    Decision refused = authorizer.decide(withoutHer, Caller.bearer(token), START, body, "ns1");
    assertEquals(Reason.TOKEN_UNKNOWN_SUBJECT, refused.reason(), refused.message());
    Decision byKey = authorizer.decide(keyed, Caller.bearer(token), START, body, "ns1");
    assertTrue(byKey.allowed(), byKey.message());
    assertEquals("api_key", byKey.identifiedBy());
    assertEquals("writer", byKey.principal());
  }

  @Test
  void aTokenAdmittedAsAJwtIsStillTheDisabledApiKeyOfAPolicyThatListsItsHash() {
    String token = Tokens.sign(RSA, Tokens.claims("someone@idp").build());
    PolicySnapshot disabled = Fixtures.standard().user("someone@idp", "read_only", "ns1=write")
        .apiKey("revoked", "writer", token, null, true).build();
    PolicySnapshot otherOwner = Fixtures.standard().user("someone@idp", "read_only", "ns1=write")
        .apiKey("readers-key", "reader", token, null, false).build();
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), Tokens.CLOCK,
        new Identities(authenticator(1), null));
    byte[] body = Fixtures.withNamespace(START, "ns1");
    Decision asJwt = authorizer.decide(withHer, Caller.bearer(token), START, body, "ns1");
    assertTrue(asJwt.allowed(), asJwt.message());
    assertEquals("jwt", asJwt.identifiedBy());
    Decision revoked = authorizer.decide(disabled, Caller.bearer(token), START, body, "ns1");
    assertEquals(Reason.KEY_DISABLED, revoked.reason(), revoked.message());
    Decision byKey = authorizer.decide(otherOwner, Caller.bearer(token), START, body, "ns1");
    assertEquals("api_key", byKey.identifiedBy(), byKey.message());
    assertEquals("reader", byKey.principal());
    Decision again = authorizer.decide(withHer, Caller.bearer(token), START, body, "ns1");
    assertTrue(again.allowed(), again.message());
    assertEquals("jwt", again.identifiedBy(), "still a JWT where no policy key has its hash");
  }
}
