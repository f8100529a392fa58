package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HashKeyCommandTest {
  private static final String SHA256_OF_SECRET =
      "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

  @Test
  void knownVector() {
    CliRun run = CliRun.withStdin("secret", "hash-key");
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertEquals(SHA256_OF_SECRET + "\n", run.out().replace("\r\n", "\n"));
  }

  @Test
  void oneTrailingNewlineIsIgnored() {
    assertEquals(SHA256_OF_SECRET, CliRun.withStdin("secret\n", "hash-key").lines().get(0));
    assertEquals(SHA256_OF_SECRET, CliRun.withStdin("secret\r\n", "hash-key").lines().get(0));
  }

  @Test
  void onlyOneNewlineIsIgnored() {
    String twice = CliRun.withStdin("secret\n\n", "hash-key").lines().get(0);
    assertTrue(!twice.equals(SHA256_OF_SECRET), twice);
  }

  @Test
  void emptySecretIsAUsageError() {
    assertEquals(ExitCode.USAGE, CliRun.withStdin("", "hash-key").code());
    CliRun run = CliRun.withStdin("\n", "hash-key");
    assertEquals(ExitCode.USAGE, run.code());
    assertTrue(run.err().contains("no secret"), run.err());
  }

  @Test
  void secretIsNotPrinted() {
    CliRun run = CliRun.withStdin(CliRun.ALICE_SECRET, "hash-key");
    assertTrue(!run.out().contains(CliRun.ALICE_SECRET) && !run.err().contains(CliRun.ALICE_SECRET));
  }
}
