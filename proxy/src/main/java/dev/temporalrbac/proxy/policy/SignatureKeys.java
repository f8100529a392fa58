package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.proxy.config.JwksLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the keys that sign policies are, and reading them: a PEM public key
 * ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo) or a JWK / JWK Set file
 * ({@code policy.signature.public_key}), or a JWK Set file or http(s) URL
 * ({@code policy.signature.jwks}). The keys are read afresh for each new policy version checked
 * (never on a call, never for an unchanged one), so a rotated or revoked key takes effect with the
 * next version. Symmetric keys are refused, never skipped silently. A JWK's {@code use} and
 * {@code key_ops} are honoured (a key for {@code enc}, or whose {@code key_ops} leave out
 * {@code verify}, is not used), and so is its {@code alg} (the key then fits that algorithm
 * only). Any bad input is an {@link IOException}, never a runtime exception. Thread-safe.
 */
public final class SignatureKeys {
  /** A JWK Set larger than this is refused: real ones are a few KiB. */
  static final int MAX_JWKS_BYTES = 1 << 20;
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo, before the key's 32 bytes. */
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final String location;
  private final HttpFetcher fetcher;

  private SignatureKeys(String location, HttpFetcher fetcher) {
    this.location = location;
    this.fetcher = fetcher;
  }

  /**
   * The keys read at one moment.
   *
   * @param version a hash of the bytes they were read from: a rejection that depended on the
   *     keys is retried once it changes
   */
  record Loaded(List<SignatureKey> keys, String version) {}

  /** Keys from a PEM public key or a JWK / JWK Set file. */
  public static SignatureKeys file(Path file) {
    return new SignatureKeys(file.toString(), null);
  }

  /**
   * Keys from a JWK Set at an http(s) URL, each fetch bounded by {@code timeout}; plain http only
   * to a loopback host (nothing verifies the keys themselves).
   */
  public static SignatureKeys url(URI url, java.time.Duration timeout) {
    return new SignatureKeys(url.toString(),
        new HttpFetcher(HttpFetcher.client(timeout), timeout));
  }

  /** Where the keys are, as messages show it (a URL without user info or query). */
  public String shown() {
    return JwksLocation.shown(location);
  }

  /**
   * The keys, read now.
   *
   * @throws IOException naming the location and why no key could be read
   */
  Loaded load() throws IOException {
    byte[] bytes = fetcher == null ? Files.readAllBytes(Path.of(location))
        : fetcher.get(uri(), null, MAX_JWKS_BYTES).body();
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    try {
      List<SignatureKey> keys = text.startsWith("-----BEGIN") ? List.of(pem(text)) : jwks(text);
      if (keys.isEmpty()) {
        throw new IOException("it holds no key for verifying signatures");
      }
      return new Loaded(keys, PolicyLoader.version(bytes));
    } catch (IOException | ParseException | GeneralSecurityException | JOSEException e) {
      throw new IOException("cannot read the policy signing keys from " + shown() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) { // a malformed key nimbus or the JDK did not anticipate
      throw new IOException("cannot read the policy signing keys from " + shown() + ": not a"
          + " valid key (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private URI uri() throws IOException {
    try {
      return new URI(location);
    } catch (java.net.URISyntaxException e) {
      throw new IOException("not a valid URL: " + shown());
    }
  }

  private static SignatureKey pem(String text) throws IOException, GeneralSecurityException {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from != 0 || to < 0) {
      throw new IOException("expected a PEM public key (-----BEGIN PUBLIC KEY-----, the"
          + " SubjectPublicKeyInfo 'openssl pkey -pubout' writes) or a JWK Set");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException("the PEM public key is not valid base64 (" + e.getMessage() + ")");
    }
    return new SignatureKey(null, publicKey(der));
  }

  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this kind of key: try the next
      }
    }
    throw new GeneralSecurityException("the PEM key is not an RSA, EC or Ed25519 public key");
  }

  private static List<SignatureKey> jwks(String text)
      throws ParseException, JOSEException, GeneralSecurityException {
    List<JWK> jwks = text.contains("\"keys\"") ? JWKSet.parse(text).getKeys()
        : List.of(JWK.parse(text));
    List<SignatureKey> keys = new ArrayList<>();
    for (JWK jwk : jwks) {
      if (!verifies(jwk)) {
        continue;
      }
      PublicKey key;
      if (jwk instanceof RSAKey rsa) {
        key = rsa.toRSAPublicKey();
      } else if (jwk instanceof ECKey ec) {
        key = ec.toECPublicKey();
      } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        byte[] x = okp.getX().decode();
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, x.length);
        key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      } else {
        throw new GeneralSecurityException("key " + (jwk.getKeyID() == null ? ""
            : "'" + jwk.getKeyID() + "' ") + "is a " + jwk.getKeyType() + " key: only RSA, EC"
            + " and Ed25519 public keys sign policies (never a symmetric, HMAC key)");
      }
      keys.add(new SignatureKey(jwk.getKeyID(), key,
          jwk.getAlgorithm() == null ? null : JWSAlgorithm.parse(jwk.getAlgorithm().getName())));
    }
    return keys;
  }

  /** Whether a JWK may verify signatures: its {@code use} and {@code key_ops}, when present. */
  private static boolean verifies(JWK jwk) {
    return (jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse()))
        && (jwk.getKeyOperations() == null || jwk.getKeyOperations().contains(KeyOperation.VERIFY));
  }
}
