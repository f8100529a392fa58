package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} says when it cannot start: which port is taken, why a file is unreadable. */
class ServeCommandTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  @TempDir Path dir;

  private static ServerSocket taken() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }

  @Test
  void aTakenListenPortIsNamed() throws IOException {
    try (ServerSocket socket = taken()) {
      int port = socket.getLocalPort();
      CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:" + port,
          "--admin", "127.0.0.1:0", "--upstream", "127.0.0.1:1");
      assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
      assertTrue(run.err().startsWith("serve: cannot listen on 127.0.0.1:" + port
          + " (the listen port, setting listen, flag --listen): Address already in use;"),
          run.err());
      assertTrue(run.err().contains("choose another port with listen / --listen"), run.err());
    }
  }

  @Test
  void aTakenAdminPortIsNamed() throws IOException {
    try (ServerSocket socket = taken()) {
      int port = socket.getLocalPort();
      CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:0",
          "--admin", "127.0.0.1:" + port, "--upstream", "127.0.0.1:1");
      assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
      assertTrue(run.err().startsWith("serve: cannot listen on 127.0.0.1:" + port
          + " (the admin port, setting admin, flag --admin): Address already in use;"),
          run.err());
    }
  }

  @Test
  void aMissingPolicyFileSaysSo() {
    Path missing = dir.resolve("policy.yaml");
    CliRun run = serve("--policy", missing.toString(), "--listen", "127.0.0.1:0",
        "--admin", "127.0.0.1:0", "--upstream", "127.0.0.1:1");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertEquals("cannot read the policy file " + missing + ": no such file\n", run.err());
  }

  @Test
  void aMissingConfigFileSaysSo() {
    Path missing = dir.resolve("proxy.yaml");
    CliRun run = serve("--config", missing.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().contains("cannot read the config file " + missing + ": no such file"),
        run.err());
  }

  @Test
  void aConfigFileThatIsADirectorySaysSo() {
    CliRun run = serve("--config", dir.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().contains("cannot read the config file " + dir
        + ": is a directory, not a file"), run.err());
  }

  @Test
  void missingTlsFilesAreNamedWithTheirSettings() {
    Path cert = dir.resolve("server.pem");
    CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--upstream", "127.0.0.1:1", "--tls-cert", cert.toString(),
        "--tls-key", dir.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertEquals("serve: cannot read tls.cert: " + cert + ": no such file; tls.key: " + dir
        + ": is a directory, not a file\n", run.err());
  }

  @Test
  void anAuditFileInAMissingFolderSaysSo() {
    Path audit = dir.resolve("no-such-folder").resolve("audit.log");
    CliRun run = serve("--policy", POLICY, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--upstream", "127.0.0.1:1", "--audit-file", audit.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.err());
    assertTrue(run.err().startsWith("serve: cannot open the audit file (audit.file) " + audit
        + ": no such file (its folder " + audit.getParent() + " does not exist either)"),
        run.err());
  }

  /** The policy named in the config file is found next to it, from any working directory. */
  @Test
  void thePolicyIsFoundNextToTheConfigFile() throws IOException {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.copy(Path.of(POLICY), etc.resolve("policy.yaml"));
    Path config = Files.writeString(etc.resolve("proxy.yaml"),
        "policy:\n  file: policy.yaml\nlisten: 127.0.0.1:0\nadmin: 127.0.0.1:0\n"
            + "upstream:\n  target: 127.0.0.1:1\nshutdown_grace: 0s\n");
    CliRun run = serve("--config", config.toString());
    assertEquals(ExitCode.OK, run.code(), run.err());
  }
}
