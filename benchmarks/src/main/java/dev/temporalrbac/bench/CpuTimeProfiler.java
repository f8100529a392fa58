package dev.temporalrbac.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark JVM per operation, next to JMH's wall-clock score. On a shared
 * machine the wall-clock score grows whenever the benchmark thread waits for a core; CPU time
 * does not, and {@code cpu.util} (CPU seconds per wall second) shows how much of the iteration
 * the JVM actually ran: about 1.0 for a single-threaded benchmark on a quiet machine, less when
 * other processes took the cores. Includes GC and JIT threads, so it is the full cost of an op.
 *
 * <pre>java -jar benchmarks.jar DecisionBenchmark -prof gc -prof dev.temporalrbac.bench.CpuTimeProfiler</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "process CPU time per operation, and CPU utilisation during the iteration";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuStart = OS.getProcessCpuTime();
    wallStart = System.nanoTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpu = OS.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : (double) cpu / ops;
    return List.of(
        new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.util", (double) cpu / wall, "cpu/wall", AggregationPolicy.AVG));
  }
}
