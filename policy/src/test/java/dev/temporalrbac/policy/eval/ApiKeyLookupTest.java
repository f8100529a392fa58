package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import dev.temporalrbac.policy.model.PrincipalType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API keys found by the hash of their secret: every key of a policy with many keys names its own
 * owner on every call (the first and the repeated ones), lookups by hex reject what is no
 * SHA-256, and a table with two keys of one hash is refused.
 */
class ApiKeyLookupTest {
  private static final String GET_USER = CLOUD + "GetUser";

  @Test
  void everyKeyNamesItsOwnOnEveryCall() {
    Fixtures.PolicyBuilder builder = Fixtures.policy();
    int owners = 40;
    for (int i = 0; i < owners; i++) {
      builder.user("user-" + i, i % 2 == 0 ? "read_only" : "developer").keyFor("user-" + i);
    }
    PolicySnapshot policy = builder.build();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < owners; i++) {
        String owner = "user-" + i;
        Decision decision = Fixtures.withKeyOf(policy, owner, GET_USER, null);
        assertTrue(decision.allowed(), decision::message);
        assertEquals(owner, decision.principal(), "round " + round);
        assertEquals(Fixtures.keyIdOf(owner), decision.keyId());
        assertEquals(i % 2 == 0 ? "read_only" : "developer", decision.role());
      }
    }
  }

  @Test
  void findKeyFindsOnlyTheDigestOfAKnownSecret() throws Exception {
    PolicySnapshot policy = Fixtures.policy().user("u", "read_only").keyFor("u").build();
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
        .digest(Fixtures.secretOf("u").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Fixtures.keyIdOf("u"), policy.findKey(digest).key().id());
    assertEquals("u", policy.findKey(digest).ownerRights().principalId());
    byte[] other = digest.clone();
    other[31] ^= 1;
    assertNull(policy.findKey(other), "one bit off");
    assertNull(policy.findKey(java.util.Arrays.copyOf(digest, 31)), "truncated");
  }

  private static PolicySnapshot.Builder withOwner() {
    return PolicySnapshot.builder().principal(new Principal("u", PrincipalType.USER,
        AccountRole.READ_ONLY, Map.of(), List.of(), null));
  }

  @Test
  void twoKeysWithOneHashAreRefused() {
    for (String hash : List.of("00".repeat(32), Authorizer.hashSecret("shared"))) {
      PolicySnapshot.Builder builder = withOwner()
          .apiKey(new ApiKey("a", "u", hash, null, false))
          .apiKey(new ApiKey("b", "u", hash, null, false));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
      assertTrue(e.getMessage().contains("two API keys share the hash"), e.getMessage());
    }
  }

  @Test
  void aHashThatIsNotSixtyFourHexDigitsIsRefused() {
    PolicySnapshot.Builder builder =
        withOwner().apiKey(new ApiKey("a", "u", "abc123", null, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
  }
}
