package dev.temporalrbac.policy.identity.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.StatusCode;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whole decisions by a real {@link Authorizer} for callers sending a JWT. */
class JwtDecisionTest {
  private static final ECKey KEY = Tokens.ec("idp-1");
  private static final String START = Fixtures.WF + "StartWorkflowExecution";
  private static final String DESCRIBE = Fixtures.WF + "DescribeNamespace";

  private final PolicySnapshot policy = Fixtures.standard().build();
  private JwksServer server;
  private JwksKeys keys;
  private Authorizer authorizer;

  @BeforeEach
  void setUp() throws Exception {
    server = new JwksServer(KEY);
    JwtSettings settings = Settings.of(server.url()).build();
    keys = new JwksKeys(settings, Tokens.CLOCK);
    keys.loadInitial();
    authorizer = new Authorizer(MethodCatalog.load(), Tokens.CLOCK,
        new Identities(new JwtAuthenticator(settings, keys, Tokens.CLOCK), null));
  }

  @AfterEach
  void tearDown() {
    keys.close();
    server.close();
  }

  private Decision decide(String token, String method, String namespace) {
    return authorizer.decide(policy, Caller.bearer(token), method,
        Fixtures.withNamespace(method, namespace), namespace);
  }

  @Test
  void thePermissionsClaimAloneAllowsStartingAWorkflow() {
    String token = Tokens.sign(KEY, Tokens.claims("alice@idp")
        .claim("permissions", List.of("ns1:writer")).build());
    Decision allowed = decide(token, START, "ns1");
    assertTrue(allowed.allowed(), allowed.message());
    assertEquals("jwt", allowed.identifiedBy());
    assertEquals("alice@idp", allowed.credentialId());
    assertEquals("alice@idp", allowed.principal());
    assertEquals("", allowed.keyId());

    Decision denied = decide(token, START, "ns2");
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, denied.reason(), denied.message());
    assertEquals("jwt", denied.identifiedBy());
    assertEquals("alice@idp", denied.credentialId());
    assertFalse(denied.message().contains(token));
  }

  @Test
  void readerMayDescribeButNotStart() {
    String token = Tokens.sign(KEY, Tokens.claims("alice@idp")
        .claim("permissions", List.of("ns1:reader")).build());
    assertTrue(decide(token, DESCRIBE, "ns1").allowed());
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, decide(token, START, "ns1").reason());
  }

  @Test
  void systemWriterStartsEverywhere() {
    String token = Tokens.sign(KEY, Tokens.claims("ci@idp")
        .claim("permissions", List.of("temporal-system:writer")).build());
    assertTrue(decide(token, START, "ns2").allowed());
    assertTrue(decide(token, START, "unlisted-namespace").allowed());
  }

  @Test
  void aPolicyUserSendingAJwtKeepsItsRights() {
    String token = Tokens.sign(KEY, Tokens.claims("writer").build());
    Decision allowed = decide(token, START, "ns1");
    assertTrue(allowed.allowed(), allowed.message());
    assertEquals("writer", allowed.principal());
    assertEquals("jwt", allowed.identifiedBy());
  }

  @Test
  void aRefusedTokenIsUnauthenticatedWithItsReason() {
    String token = Tokens.sign(Tokens.ec("stranger"), Tokens.claims("writer").build());
    Decision refused = decide(token, START, "ns1");
    assertEquals(Reason.TOKEN_UNKNOWN_KEY, refused.reason());
    assertEquals(StatusCode.UNAUTHENTICATED, refused.status());
    assertEquals("jwt", refused.identifiedBy());
    assertFalse(refused.message().contains(token));
  }

  @Test
  void anApiKeyStillIdentifiesItsOwnerBesideJwts() {
    Decision byKey = authorizer.decide(policy, Caller.bearer(Fixtures.secretOf("writer")), START,
        Fixtures.withNamespace(START, "ns1"), "ns1");
    assertTrue(byKey.allowed(), byKey.message());
    assertEquals("api_key", byKey.identifiedBy());
  }
}
