package dev.temporalrbac.proxy.mint;

import dev.temporalrbac.proxy.policy.SteppedClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.ClaimedRights;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a minted token says, for each kind of principal, and when it is minted again. */
class MintedTokenTest {
  static final String POLICY = String.join("\n",
      "groups:",
      "  - id: platform",
      "    role: developer",
      "    namespaces: {payments: read, shipping: write}",
      "users:",
      "  - id: root@example.com",
      "    role: global_admin",
      "  - id: owner@example.com",
      "    role: account_owner",
      "  - id: dev@example.com",
      "    role: developer",
      "    namespaces: {orders: write, payments: admin}",
      "    groups: [platform]",
      "service_accounts:",
      "  - id: payments-worker",
      "    namespace_scoped: {namespace: payments, permission: write}",
      "");
  static final Instant NOW = Instant.parse("2030-05-06T07:08:09Z");
  static final ECKey KEY = SigningKeys.generate();

  static PolicySnapshot policy() throws Exception {
    return PolicyLoader.parse(POLICY.getBytes(StandardCharsets.UTF_8), "policy.yaml", NOW);
  }

  /** A token user (no policy principal) whose token granted write on orders and read everywhere. */
  static EffectiveRights tokenUser(PolicySnapshot policy) {
    return policy.rightsOf(new ClaimedRights("ci-runner", List.of(),
        Map.of("orders", NamespacePermission.WRITE), NamespacePermission.READ, false),
        AccountRole.READ_ONLY);
  }

  private static SignedJWT verified(String authorization, ECKey key) throws Exception {
    assertTrue(authorization.startsWith("Bearer "), authorization);
    SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
    assertTrue(jwt.verify(new ECDSAVerifier(key.toPublicJWK())), "signature");
    return jwt;
  }

  private static List<String> permissions(String authorization) throws Exception {
    return verified(authorization, KEY).getJWTClaimsSet().getStringListClaim("permissions");
  }

  private static TokenMinter minter(Clock clock) {
    return new TokenMinter(KEY, TokenMinter.DEFAULT_ISSUER, null, Duration.ofMinutes(5), clock);
  }

  @Test
  void globalAdminAndAccountOwnerAreSystemAdmins() throws Exception {
    PolicySnapshot policy = policy();
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(List.of("temporal-system:admin"),
        permissions(minter.authorization(policy.rightsOf("root@example.com"))));
    assertEquals(List.of("temporal-system:admin"),
        permissions(minter.authorization(policy.rightsOf("owner@example.com"))));
  }

  @Test
  void developerGetsEachGrantOwnAndGroups() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(List.of("orders:write", "payments:admin", "shipping:write"),
        permissions(minter.authorization(policy().rightsOf("dev@example.com"))));
  }

  @Test
  void scopedServiceAccountGetsItsOneGrant() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(List.of("payments:write"),
        permissions(minter.authorization(policy().rightsOf("payments-worker"))));
  }

  @Test
  void tokenUserKeepsItsEverywhereGrant() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(List.of("temporal-system:read", "orders:write"),
        permissions(minter.authorization(tokenUser(policy()))));
  }

  @Test
  void headerAndStandardClaims() throws Exception {
    TokenMinter minter = new TokenMinter(KEY, "proxy-a", "temporal", Duration.ofMinutes(2),
        Clock.fixed(NOW.plusMillis(700), ZoneOffset.UTC));
    SignedJWT jwt = verified(minter.authorization(policy().rightsOf("dev@example.com")), KEY);
    assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
    assertEquals(KEY.getKeyID(), jwt.getHeader().getKeyID());
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertEquals("dev@example.com", claims.getSubject());
    assertEquals("proxy-a", claims.getIssuer());
    assertEquals(List.of("temporal"), claims.getAudience());
    assertEquals(Date.from(NOW), claims.getIssueTime());
    assertEquals(Date.from(NOW.plusSeconds(120)), claims.getExpirationTime());
    assertEquals(KEY.getKeyID(), minter.keyId());
  }

  @Test
  void noAudienceClaimUnlessConfigured() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    SignedJWT jwt = verified(minter.authorization(policy().rightsOf("dev@example.com")), KEY);
    assertEquals(List.of(), jwt.getJWTClaimsSet().getAudience());
    assertEquals("temporal-rbac-proxy", jwt.getJWTClaimsSet().getIssuer());
  }

  @Test
  void reusedUntilHalfItsLifetimeThenMintedAgain() throws Exception {
    SteppedClock clock = new SteppedClock(NOW);
    TokenMinter minter = minter(clock);
    EffectiveRights dev = policy().rightsOf("dev@example.com");
    String first = minter.authorization(dev);
    clock.step(Duration.ofMinutes(2).plusSeconds(29));
    assertEquals(first, minter.authorization(dev), "renewed before half its lifetime");
    clock.step(Duration.ofSeconds(1));
    String second = minter.authorization(dev);
    assertNotEquals(first, second, "still the old token at half its lifetime");
    assertEquals(Date.from(NOW.plusSeconds(150 + 300)),
        verified(second, KEY).getJWTClaimsSet().getExpirationTime());
    assertEquals(second, minter.authorization(dev));
  }

  @Test
  void eachRightsObjectHasItsOwnToken() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    PolicySnapshot policy = policy();
    String dev = minter.authorization(policy.rightsOf("dev@example.com"));
    assertNotEquals(dev, minter.authorization(policy.rightsOf("payments-worker")));
    // a reloaded policy has new rights objects: their tokens are minted from them, anew
    PolicySnapshot reloaded = PolicyLoader.parse(POLICY.replace("orders: write", "orders: read")
        .getBytes(StandardCharsets.UTF_8), "policy.yaml", NOW);
    assertEquals(List.of("orders:read", "payments:admin", "shipping:write"),
        permissions(minter.authorization(reloaded.rightsOf("dev@example.com"))));
  }

  @Test
  void aNamespaceNamedTemporalSystemIsNeverWidenedToEveryNamespace() throws Exception {
    PolicySnapshot policy = PolicyLoader.parse(String.join("\n",
        "users:",
        "  - id: dev@example.com",
        "    role: developer",
        "    namespaces: {temporal-system: write, orders: read}",
        "").getBytes(StandardCharsets.UTF_8), "policy.yaml", NOW);
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(List.of("orders:read"),
        permissions(minter.authorization(policy.rightsOf("dev@example.com"))));
  }

  @Test
  void publishesThePublicKeyOnly() throws Exception {
    TokenMinter minter = minter(Clock.fixed(NOW, ZoneOffset.UTC));
    JWKSet set = JWKSet.parse(minter.publicJwks());
    assertEquals(1, set.getKeys().size());
    assertFalse(set.getKeys().get(0).isPrivate());
    assertFalse(minter.publicJwks().contains("\"d\""), minter.publicJwks());
    assertEquals(KEY.getKeyID(), set.getKeys().get(0).getKeyID());
    verified(minter.authorization(policy().rightsOf("dev@example.com")),
        (ECKey) set.getKeys().get(0));
  }

  @Test
  void refusesKeysAndSettingsThatCannotMint() {
    Clock clock = Clock.systemUTC();
    assertThrows(IllegalArgumentException.class, () -> new TokenMinter(KEY.toPublicJWK(),
        "iss", null, Duration.ofMinutes(5), clock));
    assertThrows(IllegalArgumentException.class, () -> new TokenMinter(KEY, " ", null,
        Duration.ofMinutes(5), clock));
    IllegalArgumentException shortTtl = assertThrows(IllegalArgumentException.class,
        () -> new TokenMinter(KEY, "iss", null, Duration.ofSeconds(29), clock));
    assertTrue(shortTtl.getMessage().contains("within PT30S..PT1H"), shortTtl.getMessage());
    IllegalArgumentException longTtl = assertThrows(IllegalArgumentException.class,
        () -> new TokenMinter(KEY, "iss", null, Duration.ofMinutes(61), clock));
    assertTrue(longTtl.getMessage().contains("within PT30S..PT1H"), longTtl.getMessage());
  }
}
