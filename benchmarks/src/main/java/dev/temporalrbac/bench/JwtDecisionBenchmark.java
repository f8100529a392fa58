package dev.temporalrbac.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.identity.jwt.JwksKeys;
import dev.temporalrbac.policy.identity.jwt.JwtAuthenticator;
import dev.temporalrbac.policy.identity.jwt.JwtSettings;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one authorization decision for a caller sending a JWT, with the JWKS loaded (a warm
 * key cache): the same {@code StartWorkflowExecution} as {@link DecisionBenchmark}, by one of
 * {@value #TOKENS} token holders of a policy of {@value #PRINCIPALS} users, each token naming a
 * policy user and granting write on the request's namespace (where the user holds nothing) in a
 * Temporal-format permissions claim.
 *
 * <ul>
 *   <li>{@code decideAllowByJwtCached}: every token has been seen, so the verified-token cache
 *       answers (one lookup by token text, the clock and key checks, rights by claims).
 *   <li>{@code decideAllowByJwtUncached}: the cache is off, so each decision parses the token and
 *       verifies its signature: the cost of a token's first call.
 * </ul>
 *
 * <p>{@code alg}: RS256 with a 2048-bit key, or ES256 (P-256).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JwtDecisionBenchmark {
  static final int PRINCIPALS = 10_000;
  static final int TOKENS = 1024;
  private static final long SEED = 20250101L;

  /** The policy, the JWKS and the pre-minted tokens with their request bodies. */
  @State(Scope.Benchmark)
  public static class Tokens {
    @Param({"RS256", "ES256"})
    public String alg;

    PolicySnapshot snapshot;
    Authorizer cached;
    Authorizer uncached;
    Caller[] callers;
    byte[][] bodies;
    String[] namespaces;
    private Path jwksFile;
    private JwksKeys keys;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      PolicyFixture fixture = PolicyFixture.generate(PRINCIPALS, DecisionBenchmark.NAMESPACES,
          SEED);
      snapshot = PolicyLoader.parse(fixture.yaml, "bench-jwt.yaml", Instant.now());
      JWK key = alg.equals("RS256")
          ? new RSAKeyGenerator(2048).keyID("bench").generate()
          : new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
      jwksFile = Files.createTempFile("bench-jwks", ".json");
      Files.writeString(jwksFile, new JWKSet(key).toPublicJWKSet().toString());
      JwtSettings defaults = JwtSettings.defaults(jwksFile.toString());
      // the verification budget lifted, so the uncached figures measure signature checks, not
      // refusals once max_verifications_per_second is spent
      JwtSettings settings = new JwtSettings(defaults.jwks(), defaults.refreshInterval(),
          defaults.unknownKeyRefetchInterval(), defaults.fetchTimeout(), defaults.issuer(),
          defaults.audience(), defaults.clockSkew(), defaults.algorithms(),
          defaults.subjectClaim(), defaults.groupsClaim(), defaults.permissionsClaim(),
          defaults.permissionsRegex(), defaults.defaultRole(), (1 << 20) - 1);
      keys = new JwksKeys(settings, Clock.systemUTC());
      keys.loadInitial();
      MethodCatalog catalog = MethodCatalog.load();
      cached = new Authorizer(catalog, Clock.systemUTC(), new Identities(
          new JwtAuthenticator(settings, keys, Clock.systemUTC()), null));
      uncached = new Authorizer(catalog, Clock.systemUTC(), new Identities(
          new JwtAuthenticator(settings, keys, Clock.systemUTC(), 0), null));

      JWSSigner signer = alg.equals("RS256")
          ? new RSASSASigner(key.toRSAKey()) : new ECDSASigner(key.toECKey());
      callers = new Caller[TOKENS];
      int tokenChars = 0;
      bodies = new byte[TOKENS][];
      namespaces = new String[TOKENS];
      for (int t = 0; t < TOKENS; t++) {
        int u = t * (PRINCIPALS / TOKENS);
        namespaces[t] = fixture.namespaceNames[fixture.foreignNamespace[u]];
        bodies[t] = Requests.startWorkflow(namespaces[t], DecisionBenchmark.INPUT_BYTES)
            .toByteArray();
        String token = mint(signer, fixture.userIds[u], namespaces[t]);
        tokenChars = token.length();
        callers[t] = Caller.bearer(token);
      }
      for (int t = 0; t < TOKENS; t++) {
        check(cached, t);
      }
      check(uncached, 0);
      System.out.printf("%n[setup] %s, %d tokens of %d characters%n", alg, TOKENS,
          tokenChars);
    }

    private String mint(JWSSigner signer, String subject, String namespace)
        throws JOSEException {
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder()
          .issuer("https://idp.example.com/").audience("temporal").subject(subject)
          .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofDays(1))))
          .claim("groups", List.of("engineering", "on-call"))
          .claim("permissions", List.of(namespace + ":writer", "default:reader"))
          .build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg))
          .keyID("bench").build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    }

    private void check(Authorizer authorizer, int t) {
      Decision decision = decide(authorizer, t);
      if (!decision.allowed() || !decision.identifiedBy().equals("jwt")) {
        throw new IllegalStateException("allow case denied: " + decision.message());
      }
    }

    Decision decide(Authorizer authorizer, int t) {
      return authorizer.decide(snapshot, callers[t], Requests.START_WORKFLOW, bodies[t],
          namespaces[t]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      keys.close();
      Files.deleteIfExists(jwksFile);
    }
  }

  @Benchmark
  public Decision decideAllowByJwtCached(Tokens tokens, DecisionBenchmark.Pick pick) {
    return tokens.decide(tokens.cached, pick.next(TOKENS));
  }

  @Benchmark
  public Decision decideAllowByJwtUncached(Tokens tokens, DecisionBenchmark.Pick pick) {
    return tokens.decide(tokens.uncached, pick.next(TOKENS));
  }
}
