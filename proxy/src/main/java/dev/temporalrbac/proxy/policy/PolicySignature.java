package dev.temporalrbac.proxy.policy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a detached JWS (RFC 7515 Appendix F: compact form {@code header..signature}, the payload
 * part left out) over a policy's exact bytes, against the {@link SignatureKeys}. Only asymmetric
 * algorithms pass: RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA / Ed25519; never
 * {@code none}, never HMAC. The header's {@code kid} chooses the key; without a {@code kid} the
 * one key that fits the algorithm is used, and more than one is an error rather than a guess.
 * Keys named in the header itself ({@code jwk}, {@code jku}, {@code x5c}, {@code x5u}) are
 * ignored: only configured keys count. A {@code crit} naming anything but {@code iat} fails.
 *
 * <p>The protected header must carry {@code iat}, when it was signed (NumericDate: whole seconds
 * since 1970), so that {@link ReplayGuard} can refuse an older signed version served again. The
 * signature covers the header, so {@code iat} cannot be changed without the signing key.
 * Thread-safe.
 */
public final class PolicySignature {
  static final Set<JWSAlgorithm> ALLOWED = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
      JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
  /** The one critical header parameter understood: checked here and by {@link ReplayGuard}. */
  static final String IAT = "iat";
  /** base64url header, empty payload, base64url signature. */
  private static final Pattern DETACHED = Pattern.compile("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");
  /** Largest signature file read: a compact JWS is well under 1 KiB. */
  static final int MAX_SIGNATURE_BYTES = 64 * 1024;

  /** The policy's signature is missing, malformed, or does not verify: never install it. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final String keySet;
    private final Instant until;

    Rejected(String message) {
      this(message, null, null);
    }

    Rejected(String message, String keySet) {
      this(message, keySet, null);
    }

    Rejected(String message, String keySet, Instant until) {
      super(message);
      this.keySet = keySet;
      this.until = until;
    }

    /**
     * The version of the keys the verdict depended on (no key fit, or the key did not verify),
     * or null when it did not depend on them (malformed, no {@code iat}, an algorithm refused).
     */
    String keySet() {
      return keySet;
    }

    /**
     * From when the same version may pass on the clock alone (its {@code iat} was too far
     * ahead), or null when the verdict does not depend on the clock.
     */
    Instant until() {
      return until;
    }
  }

  private final SignatureKeys keys;

  public PolicySignature(SignatureKeys keys) {
    this.keys = keys;
  }

  /** Where the keys are, for messages. */
  public String keys() {
    return keys.shown();
  }

  /**
   * Verifies {@code jws} over {@code signed}.
   *
   * @return when it was signed: the header's {@code iat}
   * @throws Rejected when the signature does not prove that a configured key signed these bytes
   * @throws IOException when the keys cannot be read (the version may verify once they can)
   */
  Instant verify(byte[] signed, byte[] jws) throws Rejected, IOException {
    if (jws == null) {
      throw new Rejected("no signature");
    }
    String text = new String(jws, StandardCharsets.US_ASCII).strip();
    if (!DETACHED.matcher(text).matches()) {
      throw new Rejected("the signature is not a detached JWS in compact form"
          + " (header..signature, with the payload part empty)");
    }
    JWSObject object;
    try {
      object = JWSObject.parse(text, new Payload(signed));
    } catch (java.text.ParseException e) {
      throw new Rejected("the signature is not a valid JWS: " + e.getMessage());
    }
    JWSHeader header = object.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw new Rejected("signature algorithm " + alg + " is not accepted (only "
          + ALLOWED.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "))
          + "; never none or HMAC)");
    }
    if (!header.isBase64URLEncodePayload()) {
      throw new Rejected("an unencoded payload (b64: false) is not accepted");
    }
    Set<String> critical = header.getCriticalParams() == null ? Set.of()
        : new TreeSet<>(header.getCriticalParams());
    if (!Set.of(IAT).containsAll(critical)) {
      critical.remove(IAT);
      throw new Rejected("the signature's header marks " + critical + " critical (crit), which"
          + " the proxy does not understand; only iat may be critical");
    }
    Instant signedAt = signedAt(header);
    SignatureKeys.Loaded loaded = keys.load();
    SignatureKey key = choose(loaded, header);
    try {
      if (!object.verify(key.verifier(Set.of(IAT)))) {
        throw new Rejected("the signature does not verify with key " + key.describe() + " from "
            + keys.shown() + " (the policy differs from what was signed, or another key signed"
            + " it)", loaded.version());
      }
    } catch (JOSEException e) {
      throw new Rejected("the signature cannot be checked with key " + key.describe() + ": "
          + e.getMessage(), loaded.version());
    }
    return signedAt;
  }

  /** The header's {@code iat}: required, whole seconds since 1970. */
  private static Instant signedAt(JWSHeader header) throws Rejected {
    Object iat = header.getCustomParam(IAT);
    if (iat == null) {
      throw new Rejected("the signature's protected header has no iat (when it was signed, in"
          + " seconds since 1970), so an older signed version served again could not be told"
          + " apart; sign with it, e.g. {\"alg\":\"RS256\",\"kid\":\"...\",\"iat\":$(date +%s)}");
    }
    if (!(iat instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() <= 0 || number.doubleValue() > Instant.MAX.getEpochSecond()) {
      throw new Rejected("the signature's iat (" + iat + ") is not a positive whole number of"
          + " seconds since 1970");
    }
    return Instant.ofEpochSecond(number.longValue());
  }

  private SignatureKey choose(SignatureKeys.Loaded loaded, JWSHeader header) throws Rejected {
    List<SignatureKey> all = loaded.keys();
    JWSAlgorithm alg = header.getAlgorithm();
    String kid = header.getKeyID();
    List<SignatureKey> named = all.stream()
        .filter(key -> kid == null || kid.equals(key.kid()) || key.kid() == null && all.size() == 1)
        .toList();
    List<SignatureKey> fitting = named.stream().filter(key -> key.fits(alg)).toList();
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    if (fitting.isEmpty()) {
      throw new Rejected("no key from " + keys.shown() + " fits the signature (alg " + alg
          + (kid == null ? ", no kid" : ", kid '" + kid + "'") + ")"
          + (kid == null || named.isEmpty() ? ""
              : ": key " + named.get(0).describe() + " does not verify " + alg),
          loaded.version());
    }
    throw new Rejected("the signature names no kid and " + fitting.size() + " keys from "
        + keys.shown() + " fit alg " + alg + "; sign with a kid", loaded.version());
  }
}
