import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Writes the example JWKS and tokens of {@code examples/identity/} (example only, never use in
 * production). Run by {@code generate.sh} as a single-file program on the proxy's fat jar, which
 * holds nimbus-jose-jwt:
 *
 * <pre>java -cp proxy/target/temporal-rbac-proxy.jar examples/identity/ExampleTokens.java DIR</pre>
 *
 * A fresh RSA key signs the tokens and is then dropped: only its public half is written (to
 * {@code jwks.json}), so nobody can mint more tokens for this JWKS, and the tokens, valid until
 * 2036, need no secret in the repository. Every claim is fixed, so a run differs from the last
 * only by the key and the signatures.
 */
public final class ExampleTokens {
  static final String KEY_ID = "example-1";
  static final String ISSUER = "https://idp.example.com/";
  static final String AUDIENCE = "temporal";
  static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant EXPIRES = Instant.parse("2036-01-01T00:00:00Z");

  public static void main(String[] args) throws IOException, JOSEException {
    if (args.length != 1) {
      System.err.println("usage: java -cp temporal-rbac-proxy.jar ExampleTokens.java OUTPUT_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    RSAKey key = new RSAKeyGenerator(2048)
        .keyID(KEY_ID).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()) + "\n");

    // Not a policy principal: a token user (read_only) plus Temporal's permissions claim.
    write(dir.resolve("ci-bot.jwt"), key, claims("ci-bot")
        .claim("permissions", List.of("payments:write", "temporal-system:read")).build());
    // A policy user: her policy rights plus those of the IdP group 'oncall'.
    write(dir.resolve("alice.jwt"), key, claims("alice@example.com")
        .claim("groups", List.of("oncall")).build());
  }

  private static JWTClaimsSet.Builder claims(String subject) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(ISSUED))
        .expirationTime(Date.from(EXPIRES));
  }

  private static void write(Path file, RSAKey key, JWTClaimsSet claims)
      throws IOException, JOSEException {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(KEY_ID).type(JOSEObjectType.JWT).build();
    SignedJWT token = new SignedJWT(header, claims);
    token.sign(new RSASSASigner(key));
    Files.writeString(file, token.serialize() + "\n");
    System.out.println("wrote " + file + " (sub " + claims.getSubject() + ")");
  }
}
