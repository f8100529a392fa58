package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

/** Reads a Prometheus text exposition as its sample lines, for metrics tests. */
final class Scrapes {
  private Scrapes() {}

  /** The sample lines of {@code scrape} (no HELP/TYPE comments, no blank lines). */
  static List<String> samples(String scrape) {
    return Arrays.stream(scrape.split("\n"))
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .toList();
  }

  /** Fails, listing every sample, unless {@code scrape} has the line {@code expected}. */
  static void assertSample(String scrape, String expected) {
    List<String> samples = samples(scrape);
    assertTrue(samples.contains(expected), () -> "no line " + expected + " in\n"
        + String.join("\n", samples));
  }

  /** How many samples of {@code scrape} start with {@code prefix}. */
  static long count(String scrape, String prefix) {
    return samples(scrape).stream().filter(line -> line.startsWith(prefix)).count();
  }
}
