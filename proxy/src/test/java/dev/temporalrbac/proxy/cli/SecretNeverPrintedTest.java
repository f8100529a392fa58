package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.ALICE_SECRET;
import static dev.temporalrbac.proxy.cli.CliRun.CLOUD;
import static dev.temporalrbac.proxy.cli.CliRun.WORKFLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The API key secret must not appear in any output, whatever the caller gets wrong. */
class SecretNeverPrintedTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  private static void assertNoSecret(CliRun run) {
    assertFalse(run.out().contains(ALICE_SECRET), run.out());
    assertFalse(run.err().contains(ALICE_SECRET), run.err());
  }

  @Test
  void singleCalls() {
    List<String[]> calls = List.of(
        new String[] {"--method", WORKFLOW + "StartWorkflowExecution", "--request-json",
            "{\"namespace\":\"payments\"}"},
        new String[] {"--method", CLOUD + "GetApiKey", "--request-json",
            "{\"keyId\":\"key-alice\"}"},
        new String[] {"--method", WORKFLOW + "StartWorkflowExecution", "--request-json",
            "{\"namespace\":\"payments\",\"workflowExecutionTimeout\":\"" + ALICE_SECRET + "\"}"},
        new String[] {"--method", WORKFLOW + "NoSuchMethod"},
        new String[] {"--method", WORKFLOW + "StartWorkflowExecution", "--request-json", "{"},
        new String[] {"--principal", "alice@example.com", "--method", WORKFLOW + "GetSystemInfo"},
        new String[] {"--bogus"});
    for (String[] call : calls) {
      String[] argv = new String[call.length + 5];
      argv[0] = "explain";
      argv[1] = "--policy";
      argv[2] = POLICY;
      argv[3] = "--api-key";
      argv[4] = ALICE_SECRET;
      System.arraycopy(call, 0, argv, 5, call.length);
      assertNoSecret(CliRun.of(argv));
    }
  }

  @Test
  void batchLinesIncludingMalformedOnes() {
    String key = "\"api_key\":\"" + ALICE_SECRET + "\"";
    String input = String.join("\n",
        "{" + key + ",\"method\":\"" + WORKFLOW + "StartWorkflowExecution\","
            + "\"request\":{\"namespace\":\"payments\"}}",
        "{" + key + ",\"method\":\"" + WORKFLOW + "StartWorkflowExecution\","
            + "\"request\":{\"namespace\":\"payments\",\"requestId\":7,\"identity\":{\"a\":\""
            + ALICE_SECRET + "\"}}}",
        "{" + key + ",\"method\":\"m\",\"request\":\"" + ALICE_SECRET + "\"}",
        "{\"apiKey\":{\"nested\":\"" + ALICE_SECRET + "\"},\"method\":\"m\"}",
        "{\"api_key\":[\"" + ALICE_SECRET + "\",\"x\"],\"method\":\"m\"}",
        "{" + key + ",\"principal\":\"alice@example.com\",\"method\":\"m\"}",
        "{" + key + ",\"method\":");
    CliRun run = CliRun.withStdin(input + "\n", "explain", "--policy", POLICY);
    assertEquals(ExitCode.OK, run.code());
    assertEquals(7, run.lines().size(), run.out());
    assertNoSecret(run);
  }

  @Test
  void hashKey() {
    assertNoSecret(CliRun.withStdin(ALICE_SECRET + "\n", "hash-key"));
  }
}
