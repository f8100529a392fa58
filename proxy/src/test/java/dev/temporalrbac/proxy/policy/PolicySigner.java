package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Test helper: an RSA key pair that signs policies as detached JWS, and its PEM public key. */
final class PolicySigner {
  private final KeyPair keys;
  private final String kid;

  PolicySigner(String kid) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.keys = generator.generateKeyPair();
    this.kid = kid;
  }

  /** The detached compact JWS (header..signature) over {@code bytes}, RS256. */
  byte[] sign(byte[] bytes) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
        new Payload(bytes));
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
}
