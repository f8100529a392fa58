package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.temporalrbac.proxy.server.UpstreamCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upstream.credentials.mode: mint} and its settings, in the file and as flags. */
class MintConfigTest {
  @TempDir Path dir;

  private static Map<String, String> flags(String... pairs) {
    return Flags.of(pairs);
  }

  private static List<String> errors(String... pairs) {
    return assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(null, flags(pairs))).errors();
  }

  private static void hasError(List<String> errors, String... words) {
    assertTrue(errors.stream().anyMatch(e -> List.of(words).stream().allMatch(e::contains)),
        () -> errors + " lacks one with " + List.of(words));
  }

  @Test
  void mintModeGeneratesAKeyAndServesOnlyItsPublicHalf() throws Exception {
    UpstreamCredentials credentials = new ConfigLoader(Map.of())
        .load(null, flags("credentials", "mint")).credentials();
    assertEquals(UpstreamCredentials.Mode.MINT, credentials.mode());
    JWKSet jwks = JWKSet.parse(credentials.publicJwks());
    assertEquals(1, jwks.getKeys().size());
    assertFalse(jwks.getKeys().get(0).isPrivate());
    assertTrue(credentials.toString().contains("temporal-rbac-proxy"), credentials.toString());
  }

  @Test
  void otherModesPublishNoKeys() throws Exception {
    assertNull(new ConfigLoader(Map.of()).load(null, flags()).credentials().publicJwks());
    assertNull(new ConfigLoader(Map.of()).load(null, flags("credentials", "strip"))
        .credentials().publicJwks());
  }

  @Test
  void theFileSetsEveryMintSettingAndASharedKeyKeepsItsId() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("replicas-1").generate();
    Path keyFile = dir.resolve("mint.jwk");
    Files.writeString(keyFile, key.toJSONString());
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, "policy:\n  file: p.yaml\nupstream:\n  credentials:\n"
        + "    mode: mint\n    issuer: proxy-eu\n    audience: temporal\n    token_ttl: 2m\n"
        + "    signing_key_file: " + keyFile + "\n");
    UpstreamCredentials credentials = new ConfigLoader(Map.of()).load(file, Map.of())
        .credentials();
    assertEquals(UpstreamCredentials.Mode.MINT, credentials.mode());
    assertEquals("replicas-1", JWKSet.parse(credentials.publicJwks()).getKeys().get(0)
        .getKeyID());
    assertTrue(credentials.toString().contains("proxy-eu"), credentials.toString());
    assertFalse(credentials.toString().contains(key.getD().toString()));
  }

  @Test
  void everyMintSettingHasAFlag() {
    assertEquals("upstream.credentials.issuer", ConfigLoader.FLAGS.get("upstream-token-issuer"));
    assertEquals("upstream.credentials.audience",
        ConfigLoader.FLAGS.get("upstream-token-audience"));
    assertEquals("upstream.credentials.token_ttl", ConfigLoader.FLAGS.get("upstream-token-ttl"));
    assertEquals("upstream.credentials.signing_key_file",
        ConfigLoader.FLAGS.get("upstream-signing-key-file"));
  }

  @Test
  void badSettingsAreAllReportedAtOnce() {
    List<String> errors = errors("credentials", "mint", "upstream-token-ttl", "10s",
        "upstream-token-issuer", " ", "upstream-signing-key-file",
        dir.resolve("absent.jwk").toString(), "mode", "audit");
    hasError(errors, "upstream.credentials.token_ttl", "at least 30s");
    hasError(errors, "upstream.credentials.issuer", "empty");
    hasError(errors, "upstream.credentials.signing_key_file", "absent.jwk");
    hasError(errors, "enforce or dry_run");
  }

  @Test
  void aMintedTokenLivesAnHourAtMost() {
    hasError(errors("credentials", "mint", "upstream-token-ttl", "2h"),
        "upstream.credentials.token_ttl", "at most 1h");
  }

  @Test
  void aPublicOnlyKeyFileIsRefused() throws Exception {
    Path keyFile = dir.resolve("public.jwk");
    Files.writeString(keyFile, new ECKeyGenerator(Curve.P_256).keyID("k").generate()
        .toPublicJWK().toJSONString());
    hasError(errors("credentials", "mint", "upstream-signing-key-file", keyFile.toString()),
        "signing_key_file", "only a public key");
  }

  @Test
  void mintSettingsOutsideMintModeAreRefused() {
    hasError(errors("credentials", "replace", "upstream-api-key-env", "K",
        "upstream-token-ttl", "1m", "upstream-token-audience", "t"),
        "upstream.credentials.audience, upstream.credentials.token_ttl are set",
        "mode is replace, not mint");
    hasError(errors("upstream-token-issuer", "x"), "upstream.credentials.issuer is set",
        "passthrough");
  }

  @Test
  void anUnknownModeNamesMint() {
    hasError(errors("credentials", "forge"), "passthrough, replace, strip or mint", "forge");
  }

  @Test
  void aGoodTtlIsAccepted() throws Exception {
    assertNotNull(new ConfigLoader(Map.of()).load(null, flags("credentials", "mint",
        "upstream-token-ttl", "30s")).credentials().publicJwks());
  }
}
