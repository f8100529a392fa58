package dev.temporalrbac.proxy.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The minting key: generated fresh, or read from a JWK file replicas share. */
class MintSigningKeyTest {
  @TempDir Path dir;

  private Path write(String text) throws Exception {
    Path file = dir.resolve("key.jwk");
    Files.writeString(file, text);
    return file;
  }

  private static void refused(Path file, String... words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SigningKeys.read(file));
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), () -> "'" + e.getMessage() + "' lacks " + word);
    }
  }

  @Test
  void generatedKeysArePrivateP256WithRandomIds() {
    ECKey one = SigningKeys.generate();
    ECKey two = SigningKeys.generate();
    assertTrue(one.isPrivate());
    assertEquals(Curve.P_256, one.getCurve());
    assertNotEquals(one.getKeyID(), two.getKeyID());
  }

  @Test
  void aSharedKeyFileIsReadWithItsKeyId() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("shared-1").generate();
    ECKey read = SigningKeys.read(write(key.toJSONString()));
    assertEquals("shared-1", read.getKeyID());
    assertEquals(key, read);
  }

  @Test
  void unusableFilesAreRefusedSayingWhy() throws Exception {
    refused(dir.resolve("missing.jwk"), "cannot read", "missing.jwk");
    refused(write("{\"kty\":\"EC\",\"d\":\"super-secret-value\""), "is not a JWK");
    refused(write(new RSAKeyGenerator(2048).keyID("r").generate().toJSONString()),
        "RSA", "P-256");
    refused(write(new ECKeyGenerator(Curve.P_384).keyID("p384").generate().toJSONString()),
        "P-256");
    refused(write(new ECKeyGenerator(Curve.P_256).keyID("pub").generate().toPublicJWK()
        .toJSONString()), "only a public key");
    refused(write(new ECKeyGenerator(Curve.P_256).generate().toJSONString()), "no kid");
  }

  @Test
  void aMalformedFileIsNeverQuoted() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SigningKeys.read(write("{\"kty\":\"EC\",\"d\":\"super-secret-value\"")));
    assertFalse(e.getMessage().contains("super-secret-value"), e.getMessage());
  }
}
