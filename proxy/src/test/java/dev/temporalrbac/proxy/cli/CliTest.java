package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.ALICE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  @Test
  void noArgumentsIsAUsageError() {
    CliRun run = CliRun.of();
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("Usage:"), run.err());
    assertTrue(run.err().contains("explain"), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help"})
  void helpGoesToStdout(String help) {
    CliRun run = CliRun.of(help);
    assertEquals(ExitCode.OK, run.code());
    for (String command : List.of("serve", "check", "explain", "matrix", "hash-key")) {
      assertTrue(run.out().contains(command), run.out());
    }
    assertTrue(run.out().contains("2 usage error"), run.out());
  }

  @Test
  void eachCommandHasItsHelp() {
    for (String command : List.of("serve", "check", "explain", "matrix", "hash-key")) {
      CliRun dashes = CliRun.of(command, "--help");
      assertEquals(ExitCode.OK, dashes.code(), command + dashes.err());
      assertTrue(dashes.out().startsWith("Usage: " + Cli.NAME + " " + command), dashes.out());
      CliRun word = CliRun.of("help", command);
      assertEquals(ExitCode.OK, word.code(), command + word.err());
      assertEquals(dashes.out(), word.out());
    }
  }

  @Test
  void explainHelpDescribesEveryOption() {
    String help = CliRun.of("explain", "--help").out();
    for (String option : List.of("--policy", "--principal", "--api-key", "--jwt", "--cert",
        "--method", "--namespace", "--request-json", "--config", "--jwks", "--tls-client-ca")) {
      assertTrue(help.contains(option), option + " missing from " + help);
    }
  }

  @Test
  void unknownCommandGetsASuggestion() {
    CliRun run = CliRun.of("explian", "--policy", POLICY);
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("unknown command 'explian'"), run.err());
    assertTrue(run.err().contains("did you mean explain?"), run.err());
  }

  @Test
  void unknownCommandWithoutNeighbourIsNotEchoed() {
    // it may be a secret pasted in the wrong place: only near misses of a command are shown
    CliRun run = CliRun.of("serve-forever");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("unknown command (a value, not shown)"), run.err());
    assertFalse(run.err().contains("serve-forever"), run.err());
  }

  @Test
  void aValueGluedToAnOptionIsNotEchoed() {
    CliRun run = CliRun.of("explain", "--policy", POLICY, "--api-key" + ALICE_SECRET,
        "--method", "WorkflowService/StartWorkflowExecution");
    assertEquals(ExitCode.USAGE, run.code(), run.err());
    assertTrue(run.err().contains("unknown option --api-key\u2026 (a value, not shown); a value"
        + " needs a space or '=' after --api-key"), run.err());
    assertFalse(run.err().contains(ALICE_SECRET), run.err());
  }

  @Test
  void aSecretAsTheFirstArgumentIsNotEchoed() {
    CliRun run = CliRun.of(ALICE_SECRET);
    assertEquals(ExitCode.USAGE, run.code(), run.err());
    assertFalse(run.err().contains(ALICE_SECRET), run.err());
  }

  @Test
  void unknownOptionGetsASuggestion() {
    CliRun run = CliRun.of("matrix", "--fromat", "tsv");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("matrix: unknown option --fromat"), run.err());
    assertTrue(run.err().contains("did you mean --format?"), run.err());
    assertTrue(run.err().contains("'" + Cli.NAME + " matrix --help' describes its options"),
        run.err());
  }

  /** A mistyped required option is reported as the typo, not as the option missing. */
  @Test
  void typoOfARequiredOptionIsReportedAsTheTypo() {
    CliRun run = CliRun.of("check", "--polcy", POLICY);
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("check: unknown option --polcy"), run.err());
    assertTrue(run.err().contains("did you mean --policy?"), run.err());
  }

  @Test
  void typoOfAServeSettingFlag() {
    CliRun run = CliRun.of("serve", "--lisen", "127.0.0.1:0");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("serve: unknown option --lisen"), run.err());
    assertTrue(run.err().contains("did you mean --listen?"), run.err());
  }

  /** The value after a mistyped option may be the secret the option was meant to take. */
  @ParameterizedTest
  @ValueSource(strings = {"--api-kye", "--apikey", "--api-key-x", "-api-key", "--ap1-key"})
  void secretAfterAMistypedOptionIsNeverPrinted(String typo) {
    for (List<String> form
        : List.of(List.of(typo, ALICE_SECRET), List.of(typo + "=" + ALICE_SECRET))) {
      List<String> argv = new java.util.ArrayList<>(List.of("explain", "--policy", POLICY,
          "--method", "WorkflowService/StartWorkflowExecution"));
      argv.addAll(form);
      CliRun run = CliRun.of(argv.toArray(String[]::new));
      assertEquals(ExitCode.USAGE, run.code(), run.err());
      assertTrue(run.err().contains("unknown option"), run.err());
      assertFalse(run.err().contains(ALICE_SECRET), run.err());
      assertFalse(run.out().contains(ALICE_SECRET), run.out());
    }
  }

  @Test
  void secretInOtherUsageErrorsIsNeverPrinted() {
    List<String[]> lines = List.of(
        new String[] {"explain", "--policy", POLICY, "--api-key", ALICE_SECRET, "--api-key", "b",
            "--method", "WorkflowService/GetSystemInfo"},
        new String[] {"explain", "--policy", POLICY, "--method", "x", ALICE_SECRET},
        new String[] {"explain", ALICE_SECRET},
        new String[] {"explain", "--policy", POLICY, "--", ALICE_SECRET},
        new String[] {"explain", "--policy", POLICY, "--api-key", ALICE_SECRET,
            "--principal", "alice@example.com", "--method", "x"},
        new String[] {"explain", "--policy", POLICY, "--api-key", ALICE_SECRET},
        new String[] {"--api-key", ALICE_SECRET},
        new String[] {"matrix", "--format", ALICE_SECRET},
        new String[] {"help", ALICE_SECRET});
    for (String[] argv : lines) {
      CliRun run = CliRun.of(argv);
      assertEquals(ExitCode.USAGE, run.code(), String.join(" ", argv) + ": " + run.err());
      assertFalse(run.err().contains(ALICE_SECRET), run.err());
      assertFalse(run.out().contains(ALICE_SECRET), run.out());
    }
  }

  /** picocli's trace would print every argument to System.err: it stays off. */
  @Test
  void picocliTraceCannotPrintTheSecret() {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream systemErr = System.err;
    System.setProperty("picocli.trace", "DEBUG");
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      CliRun run = CliRun.of("explain", "--policy", POLICY, "--api-key", ALICE_SECRET,
          "--method", "WorkflowService/GetSystemInfo");
      assertEquals(ExitCode.OK, run.code(), run.err());
    } finally {
      System.setErr(systemErr);
      System.clearProperty("picocli.trace");
    }
    assertFalse(captured.toString(java.nio.charset.StandardCharsets.UTF_8).contains(ALICE_SECRET));
  }

  /** '@file' expansion is off: an argument starting with @ is taken as it is. */
  @Test
  void atSignIsNotAnArgumentFile() {
    CliRun run = CliRun.of("check", "--policy", "@" + POLICY);
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("@" + POLICY), run.err());
  }

  @Test
  void optionWithoutValue() {
    CliRun run = CliRun.of("check", "--policy");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("Missing required parameter for option '--policy'"), run.err());
  }

  @Test
  void positionalArgumentIsNotEchoed() {
    CliRun run = CliRun.of("check", "--policy", "p.yaml", "stray-value");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("check: unexpected argument"), run.err());
    assertFalse(run.err().contains("stray-value"), run.err());
  }

  @Test
  void equalsFormAndRepeats() {
    CliRun equals = CliRun.of("matrix", "--format=tsv");
    assertEquals(ExitCode.OK, equals.code(), equals.err());
    assertTrue(equals.out().startsWith("method\t"), equals.out());
    CliRun run = CliRun.of("matrix", "--format", "md", "--format", "tsv");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("'--format' (md|tsv) should be specified only once"), run.err());
  }
}
