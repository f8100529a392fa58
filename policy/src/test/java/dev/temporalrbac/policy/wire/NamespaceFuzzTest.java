package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link NamespaceFuzzer}: by default a short seeded run (20 000 bodies) as part of the
 * build; {@code policy/fuzz.sh} runs it long. System properties: {@code fuzz.bodies},
 * {@code fuzz.seed}, and {@code fuzz.summary} (a file to write the summary line and any failing
 * body to).
 */
class NamespaceFuzzTest {
  @Test
  void noReferenceParserReadsANamespaceTheScannerMissed() throws Exception {
    long bodies = Long.getLong("fuzz.bodies", 20_000);
    long seed = Long.getLong("fuzz.seed", 9);
    NamespaceFuzzer fuzzer = new NamespaceFuzzer(seed);
    NamespaceFuzzer.Summary summary = fuzzer.run(bodies);
    String report = summary.line() + (summary.failure().isEmpty() ? ""
        : System.lineSeparator() + "first wrong reading: " + summary.failure());
    System.out.println(report);
    String file = System.getProperty("fuzz.summary");
    if (file != null) {
      Files.writeString(Path.of(file), report + System.lineSeparator(), StandardCharsets.UTF_8);
    }
    assertEquals(0, summary.wrong(), report);
    assertTrue(fuzzer.targetCount() > 50, "request types fuzzed: " + fuzzer.targetCount());
    // the run must reach the shapes it exists for: accepted bodies, and Java/Go disagreements
    assertTrue(summary.accepted() > bodies / 4, report);
    assertTrue(summary.disagreements() > bodies / 200, report);
    assertTrue(summary.allowed() > bodies / 20, report);
  }
}
