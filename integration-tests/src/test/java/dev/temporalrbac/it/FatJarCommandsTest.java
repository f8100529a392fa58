package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code proxy/target/temporal-rbac-proxy.jar} as its own process, as the README does. */
class FatJarCommandsTest {
  private static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";

  private static Path jar;
  private static Path policy;

  @BeforeAll
  static void locate() throws URISyntaxException {
    jar = Path.of(System.getProperty("proxy.jar", "../proxy/target/temporal-rbac-proxy.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat jar must be built first: " + jar.toAbsolutePath());
    policy = Path.of(FatJarCommandsTest.class.getResource("/it-policy.yaml").toURI());
  }

  @Test
  void checkAcceptsAValidPolicyAndSummarisesIt() throws Exception {
    Run run = run("", "check", "--policy", policy.toString());
    assertEquals(0, run.exit, run.err);
    assertTrue(run.out.contains("developer"), run.out);
  }

  @Test
  void checkRejectsAnInvalidPolicyNamingLineAndField(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "users:\n  - id: a\n    role: superuser\n");
    Run run = run("", "check", "--policy", bad.toString());
    assertEquals(1, run.exit);
    assertTrue(run.err.contains("bad.yaml:3"), run.err);
    assertTrue(run.err.contains("users[0].role"), run.err);
  }

  @Test
  void explainAllowsOwnNamespaceAndDeniesAnother() throws Exception {
    Run allow = run("", "explain", "--policy", policy.toString(), "--api-key", "secret",
        "--method", START, "--request-json", "{\"namespace\":\"orders\",\"workflowId\":\"w1\"}");
    assertEquals(0, allow.exit, allow.err);
    assertTrue(allow.out.contains("\"decision\":\"ALLOW\""), allow.out);

    Run deny = run("", "explain", "--policy", policy.toString(), "--api-key", "secret",
        "--method", START, "--request-json", "{\"namespace\":\"payments\"}");
    assertEquals(3, deny.exit, deny.err);
    assertTrue(deny.out.contains("\"decision\":\"DENY\""), deny.out);
    assertTrue(deny.out.contains("PERMISSION_DENIED"), deny.out);
    assertTrue(deny.out.contains("payments"), deny.out);
    assertFalse(deny.out.contains("secret"), "the secret must never be printed: " + deny.out);
  }

  @Test
  void explainBatchAnswersEveryLineInOneProcess() throws Exception {
    String lines = String.join("\n",
        "{\"api_key\":\"secret2\",\"method\":\"" + START + "\",\"request\":{\"namespace\":\"orders\"}}",
        "{\"principal\":\"orders-worker\",\"method\":\"" + START + "\",\"request\":{\"namespace\":\"orders\"}}",
        "{\"principal\":\"viewer@example.com\",\"method\":\"" + START + "\",\"request\":{\"namespace\":\"orders\"}}")
        + "\n";
    Run run = run(lines, "explain", "--policy", policy.toString());
    assertEquals(0, run.exit, run.err);
    String[] answers = run.out.strip().split("\n");
    assertEquals(3, answers.length, run.out);
    assertTrue(answers[0].contains("UNAUTHENTICATED") && answers[0].contains("disabled"), answers[0]);
    assertTrue(answers[1].contains("\"decision\":\"ALLOW\""), answers[1]);
    assertTrue(answers[2].contains("\"decision\":\"DENY\""), answers[2]);
  }

  /** The README's batch example, taken from the README and run from the repository root. */
  @Test
  void theReadmeBatchExampleRunsAsWritten() throws Exception {
    Path root = jar.toAbsolutePath().normalize().getParent().getParent().getParent();
    Matcher example = Pattern.compile("echo '(\\{[^']*\\})' \\\\\n"
        + "  \\| java -jar proxy/target/temporal-rbac-proxy\\.jar explain --policy (\\S+)\n")
        .matcher(Files.readString(root.resolve("README.md")));
    assertTrue(example.find(), "no batch explain example in the README");
    Run run = run(root, example.group(1) + "\n", "explain", "--policy", example.group(2));
    assertEquals(0, run.exit, run.err);
    assertTrue(run.out.contains("\"decision\":\"ALLOW\""), run.out);
    assertTrue(run.out.contains("victor@example.com"), run.out);
  }

  @Test
  void hashKeyPrintsTheSha256OfStdin() throws Exception {
    Run run = run("secret\n", "hash-key");
    assertEquals(0, run.exit, run.err);
    assertEquals("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", run.out.strip());
  }

  @Test
  void matrixListsEveryServiceMethod() throws Exception {
    Run run = run("", "matrix", "--format", "tsv");
    assertEquals(0, run.exit, run.err);
    assertTrue(run.out.contains("StartWorkflowExecution"), run.out);
    assertTrue(run.out.contains("CreateApiKey"), run.out);
    assertTrue(run.out.contains("ListSearchAttributes"), run.out);
  }

  private static Run run(String stdin, String... args) throws IOException, InterruptedException {
    return run(Path.of("").toAbsolutePath(), stdin, args);
  }

  private static Run run(Path workingDirectory, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path errFile = Files.createTempFile("proxy-stderr", ".txt");
    try {
      Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
          .redirectError(errFile.toFile()).start();
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not finish");
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
          Files.readString(errFile));
    } finally {
      Files.deleteIfExists(errFile);
    }
  }

  private record Run(int exit, String out, String err) {}
}
