package dev.temporalrbac.bench;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.MalformedRequestException;
import dev.temporalrbac.policy.wire.RequestFacts;
import dev.temporalrbac.policy.wire.RequestPlan;
import dev.temporalrbac.policy.wire.RequestReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one authorization decision on the data plane: a {@code StartWorkflowExecution} of
 * about 1 KiB, by a random user of a policy with {@code principals} users and 1000 namespaces.
 *
 * <ul>
 *   <li>{@code decide*ByApiKey}: the full decision as the proxy makes it: SHA-256 of the API key
 *       secret and key lookup, rights lookup, reading the namespace from the body, rule check.
 *   <li>{@code decide*ByPrincipal}: the same without the SHA-256 and key lookup ({@link
 *       Caller#principal}), to separate their cost.
 *   <li>{@code *Allow*}: the user holds {@code write} on the namespace; {@code *Deny*}: the request
 *       names a namespace the user holds nothing on.
 *   <li>{@code keyOwnerRights}: finding the key by a precomputed digest and its owner's rights.
 *   <li>{@code readNamespace}: {@link RequestReader#read} alone, into a reused {@link RequestFacts}.
 *   <li>{@code sha256Hex}: {@link Authorizer#hashSecret} of a 256-character secret alone.
 *   <li>{@code pickOnly}: the harness alone (random user, its caller, body and header).
 * </ul>
 *
 * <p>Callers and bodies are built in setup (the proxy gets both from the wire); each invocation
 * picks a uniformly random user so the per-snapshot caches see production-like traffic. Setup
 * looks every user up once first, so the figures are the steady state with warm caches.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class DecisionBenchmark {
  static final int NAMESPACES = 1000;
  static final int INPUT_BYTES = 700;
  private static final long SEED = 20250101L;

  /** A policy of {@code principals} users, the callers and the request bodies. */
  @State(Scope.Benchmark)
  public static class Policy {
    @Param({"10", "10000", "100000"})
    public int principals;

    Authorizer authorizer;
    PolicySnapshot snapshot;
    Caller[] byApiKey;
    String[] secrets;
    byte[][] digests;
    Caller[] byPrincipal;
    byte[][] allowBody;
    String[] allowHeader;
    byte[][] denyBody;
    String[] denyHeader;

    @Setup(Level.Trial)
    public void setUp() throws PolicyException {
      PolicyFixture fixture = PolicyFixture.generate(principals, NAMESPACES, SEED);
      snapshot = PolicyLoader.parse(fixture.yaml, "bench-" + principals + ".yaml", Instant.now());
      authorizer = new Authorizer(MethodCatalog.load(), Clock.systemUTC());

      byte[][] bodyByNamespace = new byte[NAMESPACES][];
      for (int n = 0; n < NAMESPACES; n++) {
        bodyByNamespace[n] =
            Requests.startWorkflow(fixture.namespaceNames[n], INPUT_BYTES).toByteArray();
      }
      byApiKey = new Caller[principals];
      secrets = fixture.secrets;
      digests = new byte[principals][];
      byPrincipal = new Caller[principals];
      allowBody = new byte[principals][];
      allowHeader = new String[principals];
      denyBody = new byte[principals][];
      denyHeader = new String[principals];
      for (int u = 0; u < principals; u++) {
        byApiKey[u] = Caller.apiKey(fixture.secrets[u]);
        digests[u] = sha256(fixture.secrets[u]);
        byPrincipal[u] = Caller.principal(fixture.userIds[u]);
        allowBody[u] = bodyByNamespace[fixture.allowedNamespace[u]];
        allowHeader[u] = fixture.namespaceNames[fixture.allowedNamespace[u]];
        denyBody[u] = bodyByNamespace[fixture.foreignNamespace[u]];
        denyHeader[u] = fixture.namespaceNames[fixture.foreignNamespace[u]];
      }
      // Steady state: every user has called once, so the per-snapshot key and rights caches hold
      // everyone (a first call per user and snapshot pays a miss; PolicyLoadMeasure times those).
      for (int u = 0; u < principals; u++) {
        authorizer.decide(snapshot, byApiKey[u], Requests.START_WORKFLOW, allowBody[u],
            allowHeader[u]);
        snapshot.rightsOf(fixture.userIds[u]);
      }
      check(0);
      check(principals - 1);
      System.out.printf("%n[setup] %d principals, policy %d bytes, request body %d bytes%n",
          principals, fixture.yaml.length, allowBody[0].length);
    }

    private void check(int u) {
      for (Caller caller : List.of(byApiKey[u], byPrincipal[u])) {
        Decision allow = authorizer.decide(snapshot, caller, Requests.START_WORKFLOW,
            allowBody[u], allowHeader[u]);
        if (!allow.allowed()) {
          throw new IllegalStateException("allow case denied: " + allow.message());
        }
        Decision deny = authorizer.decide(snapshot, caller, Requests.START_WORKFLOW,
            denyBody[u], denyHeader[u]);
        if (deny.reason() != Reason.MISSING_NAMESPACE_PERMISSION) {
          throw new IllegalStateException("deny case: " + deny.reason() + " " + deny.message());
        }
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.printf("%n[caches] rights %s%n", snapshot.rightsCacheStats());
    }
  }

  /** A per-thread xorshift generator: a uniform user index in a nanosecond, no allocation. */
  @State(Scope.Thread)
  public static class Pick {
    private long state = System.nanoTime() | 1;

    int next(int bound) {
      long x = state;
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      state = x;
      return (int) (((x >>> 32) * bound) >>> 32);
    }
  }

  /** One serialized request and its plan, for the reader alone. */
  @State(Scope.Thread)
  public static class Body {
    RequestPlan plan;
    byte[] bytes;
    final RequestFacts facts = new RequestFacts();

    @Setup(Level.Trial)
    public void setUp() {
      CatalogEntry entry = MethodCatalog.load().find(Requests.START_WORKFLOW);
      plan = entry.plan();
      bytes = Requests.startWorkflow(PolicyFixture.namespaceName(42), INPUT_BYTES).toByteArray();
      System.out.printf("%n[setup] body %d bytes; plan reads %s%n", bytes.length, plan.paths());
    }
  }

  /** Secrets for the hash alone. */
  @State(Scope.Thread)
  public static class Secrets {
    String[] secrets;

    @Setup(Level.Trial)
    public void setUp() {
      secrets = PolicyFixture.generate(1024, 10, SEED).secrets;
    }
  }

  @Benchmark
  public Decision decideAllowByApiKey(Policy p, Pick pick) {
    int u = pick.next(p.principals);
    return p.authorizer.decide(p.snapshot, p.byApiKey[u], Requests.START_WORKFLOW,
        p.allowBody[u], p.allowHeader[u]);
  }

  @Benchmark
  public Decision decideDenyByApiKey(Policy p, Pick pick) {
    int u = pick.next(p.principals);
    return p.authorizer.decide(p.snapshot, p.byApiKey[u], Requests.START_WORKFLOW,
        p.denyBody[u], p.denyHeader[u]);
  }

  @Benchmark
  public Decision decideAllowByPrincipal(Policy p, Pick pick) {
    int u = pick.next(p.principals);
    return p.authorizer.decide(p.snapshot, p.byPrincipal[u], Requests.START_WORKFLOW,
        p.allowBody[u], p.allowHeader[u]);
  }

  @Benchmark
  public Decision decideDenyByPrincipal(Policy p, Pick pick) {
    int u = pick.next(p.principals);
    return p.authorizer.decide(p.snapshot, p.byPrincipal[u], Requests.START_WORKFLOW,
        p.denyBody[u], p.denyHeader[u]);
  }

  /**
   * Control: only what the harness does around a decision (pick a user, load its caller, body and
   * header). Its cost, mostly cache misses on the per-user arrays at 100000 users, is included in
   * every {@code decide*} figure.
   */
  @Benchmark
  public void pickOnly(Policy p, Pick pick, Blackhole bh) {
    int u = pick.next(p.principals);
    bh.consume(p.byApiKey[u]);
    bh.consume(p.byPrincipal[u]);
    bh.consume(p.allowBody[u][0]);
    bh.consume(p.allowHeader[u].length());
  }

  /**
   * Control: the harness plus reading the caller's secret, as hashing it must. At 100 000 users
   * the secrets (256 characters each, 100 000 objects) are cold in every cache, whereas on the
   * wire the secret has just been decoded from the request headers and is hot; this cost is in
   * every {@code decide*ByApiKey} figure and is the harness's, not the decision's.
   */
  @Benchmark
  public int pickAndReadSecret(Policy p, Pick pick) {
    int u = pick.next(p.principals);
    String secret = p.secrets[u];
    int sum = p.allowBody[u][0] + p.allowHeader[u].length();
    for (int i = 0; i < secret.length(); i++) {
      sum += secret.charAt(i);
    }
    return sum;
  }

  /**
   * Finding an API key by its digest and its owner's rights alone (no SHA-256, no body): the
   * path where the key's remembered owner rights stand in for the rights cache.
   */
  @Benchmark
  public EffectiveRights keyOwnerRights(Policy p, Pick pick) {
    return p.snapshot.findKey(p.digests[pick.next(p.principals)]).ownerRights();
  }

  static byte[] sha256(String secret) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public RequestFacts readNamespace(Body body) throws MalformedRequestException {
    body.facts.clear();
    RequestReader.read(body.plan, body.bytes, body.facts);
    return body.facts;
  }

  @Benchmark
  public String sha256Hex(Secrets s, Pick pick) {
    return Authorizer.hashSecret(s.secrets[pick.next(s.secrets.length)]);
  }
}
