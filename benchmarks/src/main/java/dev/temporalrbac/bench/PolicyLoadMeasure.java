package dev.temporalrbac.bench;

import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parse time and retained heap of policies of growing size (users as in {@link PolicyFixture},
 * 1000 namespaces). Run with a fixed heap so GC sizing does not vary between sizes:
 *
 * <pre>java -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar dev.temporalrbac.bench.PolicyLoadMeasure</pre>
 *
 * <p>Arguments: principal counts (default 10 10000 100000). For each size it prints the first
 * (cold) parse, the median and minimum of later parses, the bytes allocated by one parse, the heap
 * the snapshot retains right after loading, and the heap it retains once every user's API key and
 * rights have been looked up once (the per-snapshot caches full, as under traffic), and the mean
 * cost of that first lookup per principal (key-table lookup + rights computation; the hash is
 * precomputed).
 */
public final class PolicyLoadMeasure {
  private static final int NAMESPACES = 1000;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PolicyLoadMeasure() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {10, 10_000, 100_000}
        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    List<String> rows = new ArrayList<>();
    for (int principals : sizes) {
      rows.add(measure(principals));
    }
    System.out.println();
    System.out.println("| principals | YAML | first parse | parse (median) | parse (min) | allocated"
        + " per parse | retained after load | retained, caches warm | first lookup per principal |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private static String measure(int principals) throws Exception {
    PolicyFixture fixture = PolicyFixture.generate(principals, NAMESPACES, 7L);
    byte[] yaml = fixture.yaml;
    String source = "load-" + principals + ".yaml";
    // Hashes are precomputed so the cache-warming pass measures memory, not SHA-256.
    String[] hashes = new String[principals];
    for (int u = 0; u < principals; u++) {
      hashes[u] = Authorizer.hashSecret(fixture.secrets[u]);
    }

    long start = System.nanoTime();
    PolicySnapshot first = PolicyLoader.parse(yaml, source, Instant.now());
    double firstMs = (System.nanoTime() - start) / 1e6;
    Reference.reachabilityFence(first);
    first = null;

    // Later parses: at least 5, about 10 s worth at most.
    int runs = Math.max(5, (int) Math.min(20, 10_000 / Math.max(1, firstMs)));
    double[] times = new double[runs];
    long allocated = 0;
    for (int r = 0; r < runs; r++) {
      long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      PolicySnapshot snapshot = PolicyLoader.parse(yaml, source, Instant.now());
      times[r] = (System.nanoTime() - t0) / 1e6;
      allocated = THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
      Reference.reachabilityFence(snapshot);
    }
    Arrays.sort(times);

    long before = usedAfterGc();
    PolicySnapshot snapshot = PolicyLoader.parse(yaml, source, Instant.now());
    long loaded = usedAfterGc() - before;
    byte[][] digests = new byte[principals][];
    for (int u = 0; u < principals; u++) {
      digests[u] = java.util.HexFormat.of().parseHex(hashes[u]);
    }
    long firstCalls = System.nanoTime();
    for (int u = 0; u < principals; u++) {
      var found = snapshot.findKey(digests[u]);
      if (found == null || found.ownerRights() == null) {
        throw new IllegalStateException("user " + u + " does not resolve");
      }
    }
    double perPrincipalUs = (System.nanoTime() - firstCalls) / 1e3 / principals;
    long warm = usedAfterGc() - before;
    long keyEntries = snapshot.apiKeys().size();
    long rightsEntries = snapshot.rightsCacheStats().size();
    Reference.reachabilityFence(snapshot);

    System.out.printf("%d principals: YAML %d bytes; first parse %.1f ms; %d more: median %.1f ms,"
            + " min %.1f ms; allocated %s per parse; retained %s after load, %s with caches warm"
            + " (%d keys, %d rights entries); first lookup per principal %.2f us%n",
        principals, yaml.length, firstMs, runs, times[runs / 2], times[0], mib(allocated),
        mib(loaded), mib(warm), keyEntries, rightsEntries, perPrincipalUs);
    return String.format("| %,d | %s | %.1f ms | %.1f ms | %.1f ms | %s | %s | %s | %.2f µs |",
        principals, mib(yaml.length), firstMs, times[runs / 2], times[0], mib(allocated),
        mib(loaded), mib(warm), perPrincipalUs);
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static String mib(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
