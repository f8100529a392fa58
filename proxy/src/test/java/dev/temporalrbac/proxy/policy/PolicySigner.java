package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

/**
 * Test helper: an RSA key pair that signs policies as detached JWS, and its PEM public key. Each
 * {@link #sign(byte[])} stamps an {@code iat} one second later than the one before, as a signer
 * signing versions in turn does.
 */
final class PolicySigner {
  /** The first iat stamped: 2026-12-01T10:00:00Z. */
  static final long FIRST_IAT = 1_796_119_200L;

  private final KeyPair keys;
  private final String kid;
  private long nextIat = FIRST_IAT;

  PolicySigner(String kid) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.keys = generator.generateKeyPair();
    this.kid = kid;
  }

  /** The detached compact JWS (header..signature) over {@code bytes}, RS256, the next iat. */
  byte[] sign(byte[] bytes) throws Exception {
    return sign(bytes, nextIat++);
  }

  /** The detached compact JWS over {@code bytes}, RS256, signed at {@code iat}. */
  byte[] sign(byte[] bytes, long iat) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
        .customParam("iat", iat).build(), new Payload(bytes));
    jws.sign(new RSASSASigner(keys.getPrivate()));
    return jws.serialize(true).getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes the public key as PEM SubjectPublicKeyInfo to {@code file}. */
  Path writePem(Path file) throws Exception {
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  /** Writes a JWK Set holding the public keys of {@code signers} to {@code file}. */
  static Path writeJwks(Path file, PolicySigner... signers) throws Exception {
    List<com.nimbusds.jose.jwk.JWK> jwks = new java.util.ArrayList<>();
    for (PolicySigner signer : signers) {
      jwks.add(new RSAKey.Builder((RSAPublicKey) signer.keys.getPublic()).keyID(signer.kid)
          .build());
    }
    Files.writeString(file, new JWKSet(jwks).toString());
    return file;
  }
}
