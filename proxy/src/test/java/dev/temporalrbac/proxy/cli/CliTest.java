package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CliTest {
  @Test
  void noArgumentsIsAUsageError() {
    CliRun run = CliRun.of();
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("usage:"), run.err());
  }

  @Test
  void helpGoesToStdout() {
    CliRun run = CliRun.of("--help");
    assertEquals(ExitCode.OK, run.code());
    for (String command : new String[] {"check", "explain", "matrix", "hash-key"}) {
      assertTrue(run.out().contains(command), run.out());
    }
  }

  @Test
  void commandHelp() {
    CliRun run = CliRun.of("explain", "--help");
    assertEquals(ExitCode.OK, run.code());
    assertTrue(run.out().startsWith("usage: explain"), run.out());
  }

  @Test
  void unknownCommand() {
    CliRun run = CliRun.of("serve-forever");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("unknown command 'serve-forever'"), run.err());
  }

  @Test
  void unknownOption() {
    CliRun run = CliRun.of("matrix", "--colour", "red");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("unknown option --colour"), run.err());
  }

  @Test
  void optionWithoutValue() {
    CliRun run = CliRun.of("check", "--policy");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("--policy needs a value"), run.err());
  }

  @Test
  void positionalArgumentIsNotEchoed() {
    CliRun run = CliRun.of("check", "--policy", "p.yaml", "stray-value");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("unexpected argument #3"), run.err());
    assertTrue(!run.err().contains("stray-value"), run.err());
  }

  @Test
  void equalsFormAndRepeats() throws UsageException {
    Args args = Args.parse(new String[] {"--format=tsv"}, java.util.Set.of("format"),
        java.util.Set.of());
    assertEquals("tsv", args.get("format"));
    CliRun run = CliRun.of("matrix", "--format", "md", "--format", "tsv");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("--format given twice"), run.err());
  }
}
