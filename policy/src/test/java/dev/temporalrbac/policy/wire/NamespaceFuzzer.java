package dev.temporalrbac.policy.wire;

import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, structure-aware mutational fuzzer of the scanner against two reference readings.
 * Starts from {@link FuzzTarget} seeds (every namespace-scoped request type, a namespace at every
 * planned path) or from an earlier accepted body, mutates it with {@link WireMutator}, and checks
 * each body twice. Reading: if the scanner accepts it, its namespaces must contain every namespace
 * protobuf-java's generated parser or the Go-rule reader reads. Decision: if the authorizer
 * allows it for a caller holding only {@link #GRANTED}, neither reference may read any other
 * namespace. A rejection by the scanner is a safe deny and only counted.
 * Deterministic for a given seed. Not thread-safe.
 */
final class NamespaceFuzzer {
  /** What a run found. {@code failure} is the first wrong body in hex with the readings, or "". */
  record Summary(long bodies, long accepted, long rejected, long wrong, long disagreements,
      long allowed, long seed, double seconds, String failure) {
    String line() {
      return String.format(java.util.Locale.ROOT, "bodies=%d accepted=%d rejected-as-malformed=%d"
          + " wrong-readings=%d java-go-disagreements=%d allowed=%d seed=%d seconds=%.1f",
          bodies, accepted, rejected, wrong, disagreements, allowed, seed, seconds);
    }
  }

  private static final int POOL = 512;
  /** The fuzzing caller's grants (admin); billing and ns2 are listed in the policy, not granted. */
  static final Set<String> GRANTED = Set.of("payments", "ns1");
  private static final PolicySnapshot POLICY = Fixtures.policy()
      .user("fuzzer", "read_only", "payments=admin", "ns1=admin")
      .namespace("payments", "id-payments", null, null)
      .namespace("billing", "id-billing", null, null)
      .namespace("ns1", "id-ns1", null, null)
      .namespace("ns2", "id-ns2", null, null).build();

  private final Random random;
  private final WireMutator mutator;
  private final long seed;
  private final List<FuzzTarget> targets;
  /** Indexes of targets where a oneof member on a planned path holds a namespace. */
  private final List<Integer> switchable = new ArrayList<>();
  /** Accepted bodies to mutate further, per target index. */
  private final List<List<byte[]>> pools = new ArrayList<>();

  NamespaceFuzzer(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.mutator = new WireMutator(random);
    this.targets = FuzzTarget.all(random);
    for (int i = 0; i < targets.size(); i++) {
      pools.add(new ArrayList<>());
      for (byte[] body : targets.get(i).seeds) {
        List<WireTree> nodes = new ArrayList<>();
        WireTree.parse(targets.get(i).type, body).collect(nodes);
        if (nodes.stream().anyMatch(WireMutator::switchable) && !switchable.contains(i)) {
          switchable.add(i);
        }
      }
    }
  }

  int targetCount() {
    return targets.size();
  }

  Summary run(long bodies) throws MalformedRequestException {
    long started = System.nanoTime();
    long accepted = 0;
    long rejected = 0;
    long wrong = 0;
    long disagreements = 0;
    long allowed = 0;
    String failure = "";
    RequestFacts facts = new RequestFacts();
    for (long n = 0; n < bodies; n++) {
      int index = switchable.isEmpty() || random.nextInt(4) != 0
          ? random.nextInt(targets.size()) : switchable.get(random.nextInt(switchable.size()));
      FuzzTarget target = targets.get(index);
      byte[] body = mutator.mutate(target, start(index, target));
      facts.clear();
      try {
        RequestReader.read(target.plan, body, facts);
      } catch (MalformedRequestException e) {
        rejected++;
        continue;
      }
      accepted++;
      List<String> scanned = facts.namespaces();
      List<String> java = target.javaReading(body);
      List<String> go = target.goReading(body);
      boolean covered = (java == null || scanned.containsAll(java))
          && (go == null || scanned.containsAll(go));
      if (Fixtures.asPrincipal(POLICY, "fuzzer", target.method, body).allowed()) {
        allowed++;
        covered &= (java == null || GRANTED.containsAll(java))
            && (go == null || GRANTED.containsAll(go));
      }
      if (java != null && go != null
          && !new java.util.TreeSet<>(java).equals(new java.util.TreeSet<>(go))) {
        disagreements++;
      }
      if (!covered) {
        if (wrong++ == 0) {
          failure = target.type.getFullName() + " body " + HexFormat.of().formatHex(body)
              + " scanner " + scanned + " protobuf-java " + java + " go " + go
              + " (caller granted " + GRANTED + ")";
        }
        continue;
      }
      List<byte[]> pool = pools.get(index);
      if (pool.size() < POOL) {
        pool.add(body);
      } else {
        pool.set(random.nextInt(POOL), body);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Summary(bodies, accepted, rejected, wrong, disagreements, allowed, seed, seconds,
        failure);
  }

  private byte[] start(int index, FuzzTarget target) {
    List<byte[]> pool = pools.get(index);
    if (!pool.isEmpty() && random.nextBoolean()) {
      return pool.get(random.nextInt(pool.size()));
    }
    return target.seeds.get(random.nextInt(target.seeds.size()));
  }
}
