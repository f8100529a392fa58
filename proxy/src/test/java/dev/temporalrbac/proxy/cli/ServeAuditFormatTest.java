package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --audit-format}: cloud starts (and opens its file), anything else is refused. */
class ServeAuditFormatTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  @TempDir Path dir;

  @Test
  void theCloudFormatStarts() {
    Path audit = dir.resolve("audit.log");
    CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--upstream", "127.0.0.1:1", "--shutdown-grace", "0s", "--audit-format", "cloud",
        "--audit-file", audit.toString());
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(Files.exists(audit));
  }

  @Test
  void anUnknownFormatIsRefusedByName() {
    CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--upstream", "127.0.0.1:1", "--audit-format", "otel");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().contains("audit.format must be json or cloud, not 'otel'"), run.err());
  }
}
