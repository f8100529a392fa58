package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.ALICE_SECRET;
import static dev.temporalrbac.proxy.cli.CliRun.WORKFLOW;
import static dev.temporalrbac.proxy.cli.CliRun.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainBatchTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  private static List<Struct> batch(String... lines) {
    CliRun run = CliRun.withStdin(String.join("\n", lines) + "\n", "explain", "--policy", POLICY);
    assertEquals(ExitCode.OK, run.code(), run.err());
    return run.lines().stream().map(CliRun::json).toList();
  }

  @Test
  void oneAnswerPerLineAndABadLineDoesNotStopTheRest() {
    List<Struct> answers = batch(
        "{\"principal\":\"alice@example.com\",\"method\":\"" + WORKFLOW
            + "StartWorkflowExecution\",\"request\":{\"namespace\":\"payments\"}}",
        "{\"principal\":\"alice@example.com\",\"method\":",
        "",
        "{\"api_key\":\"" + ALICE_SECRET + "\",\"method\":\"" + WORKFLOW
            + "StartWorkflowExecution\",\"namespace\":\"billing\"}");
    assertEquals(3, answers.size());
    assertEquals("ALLOW", field(answers.get(0), "decision"));
    assertEquals(2, (int) answers.get(1).getFieldsOrThrow("line").getNumberValue());
    assertTrue(field(answers.get(1), "error").startsWith("not a valid request line"));
    assertEquals("DENY", field(answers.get(2), "decision"));
    assertEquals("PERMISSION_DENIED", field(answers.get(2), "status"));
  }

  @Test
  void base64BodyWinsOverJson() {
    // field 1 (namespace) = "billing", as the wire would carry it
    byte[] body = {0x0a, 7, 'b', 'i', 'l', 'l', 'i', 'n', 'g'};
    List<Struct> answers = batch("{\"principal\":\"alice@example.com\",\"method\":\"" + WORKFLOW
        + "CountWorkflowExecutions\",\"request\":{\"namespace\":\"payments\"},"
        + "\"request_base64\":\"" + Base64.getEncoder().encodeToString(body) + "\"}");
    assertEquals("DENY", field(answers.get(0), "decision"));
    assertEquals("billing", answers.get(0).getFieldsOrThrow("namespaces").getListValue()
        .getValues(0).getStringValue());
  }

  @Test
  void misfitRequestIsInvalidArgumentAndUnknownMethodIsDenied() {
    List<Struct> answers = batch(
        "{\"principal\":\"alice@example.com\",\"method\":\"" + WORKFLOW
            + "StartWorkflowExecution\",\"request\":{\"namespace\":{\"name\":\"payments\"}}}",
        "{\"principal\":\"alice@example.com\",\"method\":\"nope.Service/Nope\"}");
    assertEquals("INVALID_ARGUMENT", field(answers.get(0), "status"));
    assertEquals("unknown_method", field(answers.get(1), "reason_code"));
  }

  @Test
  void badRequestLinesAreReportedWithTheirLineNumber() {
    List<Struct> answers = batch(
        "not json",
        "{\"principal\":\"a\",\"api_key\":\"" + ALICE_SECRET + "\",\"method\":\"" + WORKFLOW
            + "GetSystemInfo\"}",
        "{\"principal\":\"alice@example.com\"}",
        "{\"principal\":\"alice@example.com\",\"method\":\"m\",\"colour\":\"red\"}");
    for (int i = 0; i < 4; i++) {
      assertEquals(i + 1, (int) answers.get(i).getFieldsOrThrow("line").getNumberValue());
    }
    assertTrue(field(answers.get(1), "error").contains("not both"));
    assertTrue(field(answers.get(2), "error").contains("method is required"));
    assertTrue(field(answers.get(3), "error").contains("colour"));
  }

  @Test
  void shortMethodNamesAreTakenAndWrongOnesListCandidates() {
    List<Struct> answers = batch(
        "{\"principal\":\"alice@example.com\",\"method\":\"WorkflowService/GetSystemInfo\"}",
        "{\"principal\":\"alice@example.com\",\"method\":\"GetSystemInfo\"}",
        "{\"principal\":\"alice@example.com\",\"method\":\"DeleteNamespace\"}",
        "{\"principal\":\"alice@example.com\",\"method\":\"WorkflowService/GetSystemInf\"}");
    assertEquals(WORKFLOW + "GetSystemInfo", field(answers.get(0), "method"));
    assertEquals(WORKFLOW + "GetSystemInfo", field(answers.get(1), "method"));
    assertEquals("method DeleteNamespace is ambiguous: give one of CloudService/DeleteNamespace,"
        + " OperatorService/DeleteNamespace", field(answers.get(2), "error"));
    assertTrue(
        field(answers.get(3), "error").contains("did you mean WorkflowService/GetSystemInfo"),
        field(answers.get(3), "error"));
  }

  @Test
  void emptyInputAnswersNothing() {
    CliRun run = CliRun.withStdin("", "explain", "--policy", POLICY);
    assertEquals(ExitCode.OK, run.code());
    assertEquals("", run.out());
  }
}
