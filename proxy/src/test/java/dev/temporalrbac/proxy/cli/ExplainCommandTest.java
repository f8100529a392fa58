package dev.temporalrbac.proxy.cli;

import static dev.temporalrbac.proxy.cli.CliRun.ALICE_SECRET;
import static dev.temporalrbac.proxy.cli.CliRun.WORKFLOW;
import static dev.temporalrbac.proxy.cli.CliRun.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");
  private static final List<String> FIELDS = List.of("decision", "status", "reason",
      "reason_code", "principal", "method", "namespaces", "required", "principal_type", "role",
      "policy_version", "identified_by", "credential_id");

  private static CliRun explain(String... options) {
    String[] argv = new String[options.length + 3];
    argv[0] = "explain";
    argv[1] = "--policy";
    argv[2] = POLICY;
    System.arraycopy(options, 0, argv, 3, options.length);
    return CliRun.of(argv);
  }

  private static List<String> namespaces(Struct answer) {
    return answer.getFieldsOrThrow("namespaces").getListValue().getValuesList().stream()
        .map(Value::getStringValue).toList();
  }

  @Test
  void allowedByPrincipal() {
    CliRun run = explain("--principal", "alice@example.com", "--method",
        WORKFLOW + "StartWorkflowExecution", "--request-json",
        "{\"namespace\":\"payments\",\"workflowId\":\"w1\",\"workflowExecutionTimeout\":\"60s\"}");
    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    Struct answer = run.answer();
    assertEquals(FIELDS.size(), answer.getFieldsCount(), answer.toString());
    FIELDS.forEach(name -> assertTrue(answer.containsFields(name), name));
    assertEquals("ALLOW", field(answer, "decision"));
    assertEquals("OK", field(answer, "status"));
    assertEquals("allowed", field(answer, "reason_code"));
    assertEquals("alice@example.com", field(answer, "principal"));
    assertEquals("user", field(answer, "principal_type"));
    assertEquals("developer", field(answer, "role"));
    assertEquals("namespace:write", field(answer, "required"));
    assertEquals(List.of("payments"), namespaces(answer));
    assertEquals(16, field(answer, "policy_version").length());
  }

  @Test
  void deniedByPrincipal() {
    CliRun run = explain("--principal", "bob@example.com", "--method",
        WORKFLOW + "StartWorkflowExecution", "--namespace", "billing");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    Struct answer = run.answer();
    assertEquals("DENY", field(answer, "decision"));
    assertEquals("PERMISSION_DENIED", field(answer, "status"));
    assertEquals("missing_namespace_permission", field(answer, "reason_code"));
    assertTrue(field(answer, "reason").contains("needs write there and holds read"),
        field(answer, "reason"));
  }

  @Test
  void allowedByApiKeyActsAsItsOwner() {
    CliRun run = explain("--api-key", ALICE_SECRET, "--method",
        WORKFLOW + "DescribeNamespace", "--request-json", "{\"id\":\"payments.a1b2c\"}");
    assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
    Struct answer = run.answer();
    assertEquals("alice@example.com", field(answer, "principal"));
    assertEquals(List.of("payments"), namespaces(answer)); // the id mapped to its name
  }

  @Test
  void foreignNamespaceInTheRequestIsDenied() {
    CliRun run = explain("--api-key", ALICE_SECRET, "--method",
        WORKFLOW + "SignalWorkflowExecution", "--namespace", "payments", "--request-json",
        "{\"namespace\":\"billing\",\"signalName\":\"s\"}");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    Struct answer = run.answer();
    assertEquals("PERMISSION_DENIED", field(answer, "status"));
    assertEquals(List.of("billing", "payments"), namespaces(answer));
    assertTrue(field(answer, "reason").contains("namespace billing"), field(answer, "reason"));
  }

  @Test
  void requestThatDoesNotFitTheInputTypeIsInvalidArgument() {
    CliRun run = explain("--principal", "alice@example.com", "--method",
        WORKFLOW + "StartWorkflowExecution", "--request-json",
        "{\"namespace\":\"payments\",\"noSuchField\":1}");
    assertEquals(ExitCode.DENY, run.code(), run.out() + run.err());
    Struct answer = run.answer();
    assertEquals("INVALID_ARGUMENT", field(answer, "status"));
    assertEquals("malformed_request", field(answer, "reason_code"));
    assertTrue(field(answer, "reason").contains("StartWorkflowExecutionRequest"));
    assertTrue(field(answer, "reason").contains("noSuchField"), field(answer, "reason"));
    assertEquals("alice@example.com", field(answer, "principal"));
  }

  @Test
  void wrongValueTypeIsInvalidArgument() {
    CliRun run = explain("--principal", "alice@example.com", "--method",
        WORKFLOW + "StartWorkflowExecution", "--request-json",
        "{\"namespace\":\"payments\",\"workflowExecutionTimeout\":\"soon\"}");
    assertEquals("INVALID_ARGUMENT", field(run.answer(), "status"));
  }

  @Test
  void unknownApiKeyIsUnauthenticated() {
    CliRun run = explain("--api-key", "not-a-known-secret", "--method",
        WORKFLOW + "StartWorkflowExecution", "--request-json", "{\"namespace\":\"payments\"}");
    assertEquals(ExitCode.DENY, run.code());
    Struct answer = run.answer();
    assertEquals("UNAUTHENTICATED", field(answer, "status"));
    assertEquals("unknown_key", field(answer, "reason_code"));
    assertEquals("", field(answer, "principal"));
    assertTrue(!run.out().contains("not-a-known-secret"), run.out());
  }

  @Test
  void disabledKeyIsUnauthenticatedEvenWithABadRequest() {
    CliRun run = explain("--api-key", "old-key-secret-1", "--method",
        WORKFLOW + "StartWorkflowExecution", "--request-json", "{\"bogus\":true}");
    assertEquals("key_disabled", field(run.answer(), "reason_code"));
  }

  @Test
  void unknownMethodIsDeniedNotAnError() {
    CliRun run = explain("--principal", "owner@example.com", "--method",
        WORKFLOW + "NoSuchMethod", "--request-json", "{\"namespace\":\"payments\"}");
    assertEquals(ExitCode.DENY, run.code(), run.err());
    assertEquals("unknown_method", field(run.answer(), "reason_code"));
  }

  /** The form every deny message prints, a leading slash, and the bare method, as the full name. */
  @Test
  void shortMethodNamesAreTheFullName() {
    String full = explain("--principal", "alice@example.com", "--method",
        WORKFLOW + "StartWorkflowExecution", "--namespace", "payments").out();
    for (String form : List.of("WorkflowService/StartWorkflowExecution", "StartWorkflowExecution",
        "/" + WORKFLOW + "StartWorkflowExecution")) {
      CliRun run = explain("--principal", "alice@example.com", "--method", form,
          "--namespace", "payments");
      assertEquals(ExitCode.OK, run.code(), form + ": " + run.err());
      assertEquals(full, run.out(), form);
    }
  }

  @Test
  void ambiguousBareMethodListsTheServices() {
    CliRun run = explain("--principal", "owner@example.com", "--method", "DeleteNamespace");
    assertEquals(ExitCode.USAGE, run.code(), run.out());
    assertTrue(run.err().startsWith("explain: method DeleteNamespace is ambiguous: give one of"
        + " CloudService/DeleteNamespace, OperatorService/DeleteNamespace\n"), run.err());
  }

  @Test
  void unknownShortMethodListsTheNearest() {
    CliRun run = explain("--principal", "owner@example.com", "--method",
        "WorkflowService/StartWorkflow");
    assertEquals(ExitCode.USAGE, run.code(), run.out());
    assertTrue(run.err().contains("no method WorkflowService/StartWorkflow in the catalog; did you"
        + " mean "), run.err());
    assertTrue(run.err().contains("WorkflowService/StartWorkflowExecution"), run.err());
    CliRun nothingNear = explain("--principal", "owner@example.com", "--method", "Frobnicate");
    assertEquals(ExitCode.USAGE, nothingNear.code());
    assertTrue(nothingNear.err().contains("no method Frobnicate in the catalog ('matrix' lists"
        + " them)"), nothingNear.err());
  }

  @Test
  void namespaceScopedServiceAccount() {
    CliRun run = explain("--principal", "ci-bot", "--method", WORKFLOW + "ListNamespaces");
    assertEquals(ExitCode.OK, run.code(), run.out());
    assertEquals("service_account", field(run.answer(), "principal_type"));
  }

  @Test
  void usageErrors() {
    assertEquals(ExitCode.USAGE, explain("--principal", "a", "--api-key", "b", "--method",
        WORKFLOW + "GetSystemInfo").code());
    assertEquals(ExitCode.USAGE, explain("--principal", "alice@example.com").code());
    assertEquals(ExitCode.USAGE, explain("--method").code());
  }

  @Test
  void rejectedPolicyExitsOne() {
    CliRun run = CliRun.of("explain", "--policy", CliRun.resource("policy-bad.yaml"),
        "--principal", "alice@example.com", "--method", WORKFLOW + "GetSystemInfo");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertTrue(run.err().contains("users[1].role"), run.err());
  }

  @Test
  void aPolicyDirectoryDecidesAsOnePolicy(@TempDir Path dir) throws Exception {
    Path policy = PolicyDirs.split(Files.readString(Path.of(POLICY)), dir.resolve("policy"));
    // bob's read of billing comes from the group auditors, defined in another file
    CliRun read = CliRun.of("explain", "--policy", policy.toString(), "--principal",
        "bob@example.com", "--method", WORKFLOW + "GetWorkflowExecutionHistory", "--namespace",
        "billing");
    CliRun write = CliRun.of("explain", "--policy", policy.toString(), "--principal",
        "bob@example.com", "--method", WORKFLOW + "StartWorkflowExecution", "--namespace",
        "billing");

    assertEquals(ExitCode.OK, read.code(), read.out() + read.err());
    assertEquals("ALLOW", field(read.answer(), "decision"));
    assertEquals(ExitCode.DENY, write.code(), write.out() + write.err());
    assertEquals("missing_namespace_permission", field(write.answer(), "reason_code"));
  }

  @Test
  void anEmptyPolicyDirectoryIsAPolicyError(@TempDir Path dir) {
    CliRun run = CliRun.of("explain", "--policy", dir.toString(), "--principal",
        "bob@example.com", "--method", WORKFLOW + "StartWorkflowExecution");
    assertEquals(ExitCode.POLICY_ERROR, run.code());
    assertEquals("", run.out());
    assertEquals("policy rejected: 1 error\n" + dir + ": no policy file: expected at least one"
        + " *.yaml or *.yml file\n", run.err());
  }
}
