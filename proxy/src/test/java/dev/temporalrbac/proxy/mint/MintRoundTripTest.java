package dev.temporalrbac.proxy.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.identity.jwt.JwksKeys;
import dev.temporalrbac.policy.identity.jwt.JwtAuthenticator;
import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minted token read back by the proxy's own JWT reader, which reads the permissions claim as
 * Temporal's default claim mapper does, against a policy that knows none of the subjects: what
 * it grants comes from the claim alone, and equals the rights it was minted from.
 */
class MintRoundTripTest {
  @TempDir Path dir;

  @Test
  void theClaimCarriesTheSameNamespacePermissions() throws Exception {
    PolicySnapshot source = MintedTokenTest.policy();
    Clock clock = Clock.fixed(MintedTokenTest.NOW, ZoneOffset.UTC);
    TokenMinter minter = new TokenMinter(MintedTokenTest.KEY, "temporal-rbac-proxy",
        "temporal", Duration.ofMinutes(5), clock);
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, minter.publicJwks());
    JwtSettings defaults = JwtSettings.defaults(jwks.toString());
    JwtSettings settings = new JwtSettings(defaults.jwks(), defaults.refreshInterval(),
        defaults.unknownKeyRefetchInterval(), defaults.fetchTimeout(), "temporal-rbac-proxy",
        "temporal", defaults.clockSkew(), defaults.algorithms(), defaults.subjectClaim(),
        defaults.groupsClaim(), defaults.permissionsClaim(), defaults.permissionsRegex(),
        defaults.defaultRole(), defaults.maxVerificationsPerSecond());
    PolicySnapshot strangers = PolicyLoader.parse(
        "users:\n  - id: someone-else\n    role: read_only\n".getBytes(StandardCharsets.UTF_8),
        "other.yaml", MintedTokenTest.NOW);
    try (JwksKeys keys = new JwksKeys(settings, clock)) {
      keys.loadInitial();
      JwtAuthenticator reader = new JwtAuthenticator(settings, keys, clock);
      List<EffectiveRights> minted = List.of(source.rightsOf("root@example.com"),
          source.rightsOf("owner@example.com"), source.rightsOf("dev@example.com"),
          source.rightsOf("payments-worker"), MintedTokenTest.tokenUser(source));
      for (EffectiveRights rights : minted) {
        String token = minter.authorization(rights).substring("Bearer ".length());
        Authentication read = reader.authenticate(strangers, token);
        String who = rights.principalId();
        assertTrue(read.authenticated(), () -> who + ": " + read);
        EffectiveRights back = read.rights();
        assertEquals(who, back.principalId());
        assertEquals(rights.isAdminEverywhere(), back.isAdminEverywhere(), who);
        assertEquals(rights.everywhere(), back.everywhere(), who);
        if (!rights.isAdminEverywhere()) {
          assertEquals(rights.grants(), back.grants(), who);
        }
      }
    }
  }
}
