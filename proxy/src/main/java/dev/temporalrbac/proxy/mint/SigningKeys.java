package dev.temporalrbac.proxy.mint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;

/**
 * Where the proxy's minting key comes from: a fresh P-256 key with a random key id (one proxy),
 * or a JWK file holding a private P-256 key with a {@code kid} (replicas sharing one key, so a
 * token minted by any of them verifies against the JWKS any of them serves). Messages name the
 * file and what is wrong with it, never the key material.
 */
public final class SigningKeys {
  private SigningKeys() {}

  /** A new P-256 key for ES256 with a random key id. */
  public static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyID(UUID.randomUUID().toString())
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("this JVM cannot generate a P-256 key", e);
    }
  }

  /**
   * Reads a private P-256 JWK with a key id from {@code file}.
   *
   * @throws IllegalArgumentException naming the file and the problem (never the key)
   */
  public static ECKey read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the signing key file " + file + ": "
          + e.getClass().getSimpleName());
    }
    JWK jwk;
    try {
      jwk = JWK.parse(text);
    } catch (ParseException e) {
      // the parser's message may quote the file's text, so it is not repeated
      throw new IllegalArgumentException("the signing key file " + file
          + " is not a JWK (a JSON object with kty, crv, x, y, d and kid)");
    }
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalArgumentException("the signing key file " + file + " holds a "
          + jwk.getKeyType() + " key; tokens are signed ES256, which needs an EC key on P-256");
    }
    if (!ec.isPrivate()) {
      throw new IllegalArgumentException("the signing key file " + file
          + " holds only a public key; signing needs the private part (d)");
    }
    if (ec.getKeyID() == null || ec.getKeyID().isBlank()) {
      throw new IllegalArgumentException("the signing key file " + file + " has no kid; the"
          + " upstream picks the verifying key from the JWKS by it");
    }
    if (ec.getKeyUse() != null && !KeyUse.SIGNATURE.equals(ec.getKeyUse())) {
      throw new IllegalArgumentException("the signing key file " + file + " is marked use '"
          + ec.getKeyUse().identifier() + "', not 'sig'");
    }
    return ec;
  }
}
