package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static dev.temporalrbac.policy.eval.Fixtures.OP;
import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.temporalrbac.policy.model.PolicySnapshot;
import io.temporal.api.cloud.cloudservice.v1.GetConnectivityRulesRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUserGroupsRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUsersRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateNamespaceTagsRequest;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.FailWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.Link;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.failure.v1.ChildWorkflowExecutionFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PERMISSIONS.md §5: which namespaces a call is about. Standard policy: writer has write on ns1. */
class NamespaceResolutionTest {
  private static final PolicySnapshot POLICY = Fixtures.standard().build();
  private static final String START = WF + "StartWorkflowExecution";

  private static Decision call(String who, String method, Message request, String header) {
    return Fixtures.asPrincipal(POLICY, who, method, request.toByteArray(), header);
  }

  private static void allowed(Decision decision, String... namespaces) {
    assertTrue(decision.allowed(), decision::message);
    assertEquals(List.of(namespaces), decision.namespaces());
  }

  private static void denied(Decision decision, Reason reason) {
    assertEquals(reason, decision.reason(), decision::message);
    assertEquals(reason.status(), decision.status());
    assertEquals(reason == Reason.MALFORMED_REQUEST
        ? StatusCode.INVALID_ARGUMENT : StatusCode.PERMISSION_DENIED, decision.status());
  }

  private static StartWorkflowExecutionRequest start(String namespace) {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
        .setWorkflowId("wf-1").setRequestId("r-1").build();
  }

  /** §5: every occurrence counts, whichever one a parser keeps. */
  @Test
  void everyOccurrenceOfTheNamespaceFieldIsAuthorized() {
    int field = StartWorkflowExecutionRequest.getDescriptor().findFieldByName("namespace")
        .getNumber();
    byte[] forbiddenThenAllowed = Fixtures.repeatedStringField(field, "ns2", "ns1");
    byte[] allowedThenForbidden = Fixtures.repeatedStringField(field, "ns1", "ns2");
    byte[] allowedTwice = Fixtures.repeatedStringField(field, "ns1", "", "ns1");
    assertEquals("ns1", parse(forbiddenThenAllowed).getNamespace(), "protobuf keeps the last");

    for (byte[] body : List.of(forbiddenThenAllowed, allowedThenForbidden)) {
      Decision denied = Fixtures.asPrincipal(POLICY, "writer", START, body);
      denied(denied, Reason.MISSING_NAMESPACE_PERMISSION);
      assertTrue(denied.message().contains("namespace ns2"), denied::message);
      assertEquals(List.of("ns1", "ns2"), List.copyOf(new java.util.TreeSet<>(denied.namespaces())));
    }
    allowed(Fixtures.asPrincipal(POLICY, "writer", START, allowedTwice), "ns1");
    assertTrue(Fixtures.asPrincipal(POLICY, "admin", START, allowedThenForbidden).allowed());
  }

  /**
   * Issue 9's minimal cases: a oneof member that comes back after another member. protobuf-java
   * revives its earlier content (the forbidden namespace); Go starts it afresh. Both are denied.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "ExecuteMultiOperation, 0a087061796d656e7473120f0a090a0762696c6c696e6712000a00",
      "RespondWorkflowTaskCompleted, 4a087061796d656e7473120f6a090a0762696c6c696e6722006a00"})
  void oneofSwitchBackCannotHideANamespace(String method, String hex) {
    PolicySnapshot policy = Fixtures.policy()
        .user("payer", "read_only", "payments=write").keyFor("payer")
        .user("both", "read_only", "payments=write", "billing=write").keyFor("both")
        .namespace("payments", "id-payments", null, null)
        .namespace("billing", "id-billing", null, null).build();
    byte[] body = HexFormat.of().parseHex(hex);
    Decision decision = Fixtures.asPrincipal(policy, "payer", WF + method, body);
    denied(decision, Reason.MISSING_NAMESPACE_PERMISSION);
    assertTrue(decision.message().contains("namespace billing"), decision::message);
    assertEquals(List.of("payments", "billing"), decision.namespaces());
    assertTrue(Fixtures.asPrincipal(policy, "both", WF + method, body).allowed());
  }

  private static StartWorkflowExecutionRequest parse(byte[] bytes) {
    try {
      return StartWorkflowExecutionRequest.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "inner {0} in {1}")
  @CsvSource({"start, ns1, true", "start, ns2, false", "start, '', true",
      "update, ns1, true", "update, ns2, false"})
  void executeMultiOperationAuthorizesEveryInnerRequest(String kind, String inner,
      boolean allowed) {
    ExecuteMultiOperationRequest.Operation.Builder operation =
        ExecuteMultiOperationRequest.Operation.newBuilder();
    if (kind.equals("start")) {
      operation.setStartWorkflow(start(inner));
    } else {
      operation.setUpdateWorkflow(UpdateWorkflowExecutionRequest.newBuilder().setNamespace(inner));
    }
    ExecuteMultiOperationRequest request = ExecuteMultiOperationRequest.newBuilder()
        .setNamespace("ns1").addOperations(ExecuteMultiOperationRequest.Operation.newBuilder()
            .setStartWorkflow(start("ns1")))
        .addOperations(operation).build();
    Decision decision = call("writer", WF + "ExecuteMultiOperation", request, null);
    if (allowed) {
      allowed(decision, "ns1");
    } else {
      denied(decision, Reason.MISSING_NAMESPACE_PERMISSION);
      assertTrue(decision.namespaces().contains(inner), decision.namespaces()::toString);
    }
    assertTrue(call("admin", WF + "ExecuteMultiOperation", request, null).allowed());
  }

  @ParameterizedTest(name = "{0} command naming {1}")
  @CsvSource({"child, ns1, true", "child, ns2, false", "child, '', true",
      "signal, ns1, true", "signal, ns2, false", "cancel, ns1, true", "cancel, ns2, false"})
  void workflowTaskCommandsAreAuthorizedInTheirNamespace(String type, String namespace,
      boolean allowed) {
    RespondWorkflowTaskCompletedRequest request = RespondWorkflowTaskCompletedRequest.newBuilder()
        .setNamespace("ns1").setIdentity("worker")
        .addCommands(Fixtures.command("signal", "ns1"))
        .addCommands(Fixtures.command(type, namespace)).build();
    Decision decision = call("writer", WF + "RespondWorkflowTaskCompleted", request, null);
    if (allowed) {
      allowed(decision, "ns1");
    } else {
      denied(decision, Reason.MISSING_NAMESPACE_PERMISSION);
      assertEquals(List.of("ns1", "ns2"), decision.namespaces());
    }
  }

  /**
   * Two Commands concatenated are one Command whose oneof holds the last member; the member the
   * parser drops still had its namespace, and it is authorized too.
   */
  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({"ns2, ns1", "ns1, ns2"})
  void droppedMemberOfACommandsOneofIsAuthorizedToo(String first, String last) throws Exception {
    byte[] merged = Fixtures.concat(Fixtures.command("child", first).toByteArray(),
        Fixtures.command("signal", last).toByteArray());
    Command parsed = Command.parseFrom(merged);
    assertTrue(parsed.hasSignalExternalWorkflowExecutionCommandAttributes());
    assertTrue(!parsed.hasStartChildWorkflowExecutionCommandAttributes(), "oneof: last wins");

    byte[] body = RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("ns1").build()
        .toByteArray();
    int commands = RespondWorkflowTaskCompletedRequest.getDescriptor()
        .findFieldByName("commands").getNumber();
    body = Fixtures.concat(body, Fixtures.lengthDelimited(commands, merged));
    Decision decision = Fixtures.asPrincipal(POLICY, "writer",
        WF + "RespondWorkflowTaskCompleted", body);
    denied(decision, Reason.MISSING_NAMESPACE_PERMISSION);
    assertTrue(decision.message().contains("namespace ns2"), decision::message);
  }

  @Test
  void namespacesInsideFailuresAndLinksDoNotCount() {
    Failure failure = Failure.newBuilder().setMessage("child failed")
        .setChildWorkflowExecutionFailureInfo(
            ChildWorkflowExecutionFailureInfo.newBuilder().setNamespace("ns2"))
        .setCause(Failure.newBuilder().setChildWorkflowExecutionFailureInfo(
            ChildWorkflowExecutionFailureInfo.newBuilder().setNamespace("ns3")))
        .build();
    allowed(call("writer", WF + "RespondWorkflowTaskFailed", RespondWorkflowTaskFailedRequest
        .newBuilder().setNamespace("ns1").setFailure(failure).build(), null), "ns1");
    allowed(call("writer", WF + "RespondWorkflowTaskCompleted",
        RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("ns1")
            .addCommands(Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION)
                .setFailWorkflowExecutionCommandAttributes(
                    FailWorkflowExecutionCommandAttributes.newBuilder().setFailure(failure)))
            .build(), null), "ns1");
    Link link = Link.newBuilder().setWorkflowEvent(
        Link.WorkflowEvent.newBuilder().setNamespace("ns2").setWorkflowId("caller")).build();
    allowed(call("writer", START, start("ns1").toBuilder().addLinks(link).build(), null), "ns1");
  }

  @ParameterizedTest(name = "header {0}")
  @CsvSource({"ns1, true", "ns2, false", "'', true"})
  void theNamespaceHeaderIsAuthorizedToo(String header, boolean allowed) {
    Decision decision = call("writer", START, start("ns1"), header);
    if (allowed) {
      allowed(decision, "ns1");
    } else {
      denied(decision, Reason.MISSING_NAMESPACE_PERMISSION);
      assertEquals(List.of("ns1", "ns2"), decision.namespaces());
    }
  }

  @ParameterizedTest(name = "{0} with header {1}: {2}")
  @CsvSource({"reader, ns1, ALLOWED", "writer, ns1, ALLOWED", "reader, ns2, MISSING_NAMESPACE_PERMISSION",
      "viewer, ns1, MISSING_NAMESPACE_PERMISSION", "sa-ns1, ns1, ALLOWED",
      "reader, , NO_NAMESPACE", "sa-ns1, , NO_NAMESPACE", "nsadmin, , NO_NAMESPACE",
      "admin, , ALLOWED", "owner, , ALLOWED", "admin, ns2, ALLOWED"})
  void getSearchAttributesIsDecidedOnTheHeader(String who, String header, String expected) {
    Decision decision = Fixtures.asPrincipal(POLICY, who, WF + "GetSearchAttributes", null, header);
    assertEquals(Reason.valueOf(expected), decision.reason(), decision::message);
  }

  @ParameterizedTest(name = "{0} describes id {1}: {2}")
  @CsvSource({"reader, id-ns1, ALLOWED", "reader, id-ns2, MISSING_NAMESPACE_PERMISSION",
      "reader, id-unmapped, UNKNOWN_NAMESPACE_ID", "nsadmin, id-unmapped, UNKNOWN_NAMESPACE_ID",
      "admin, id-unmapped, ALLOWED", "owner, id-unmapped, ALLOWED", "admin, id-ns2, ALLOWED"})
  void describeNamespaceByIdUsesThePolicyMapping(String who, String id, String expected) {
    Decision decision = call(who, WF + "DescribeNamespace",
        DescribeNamespaceRequest.newBuilder().setId(id).build(), null);
    assertEquals(Reason.valueOf(expected), decision.reason(), decision::message);
    if (!id.equals("id-unmapped")) {
      assertEquals(List.of(id.substring(3)), decision.namespaces(), "decided on the name");
    }
  }

  @ParameterizedTest(name = "name {0} and id {1}: {2}")
  @CsvSource({"ns1, id-ns1, ALLOWED", "ns1, id-ns2, MISSING_NAMESPACE_PERMISSION",
      "ns1, id-unmapped, UNKNOWN_NAMESPACE_ID", "ns2, id-ns1, MISSING_NAMESPACE_PERMISSION"})
  void describeNamespaceByNameAndIdAuthorizesBoth(String name, String id, String expected) {
    Decision decision = call("reader", WF + "DescribeNamespace",
        DescribeNamespaceRequest.newBuilder().setNamespace(name).setId(id).build(), null);
    assertEquals(Reason.valueOf(expected), decision.reason(), decision::message);
  }

  @Test
  void operatorDeleteNamespaceByIdUsesThePolicyMapping() {
    String method = OP + "DeleteNamespace";
    allowed(call("nsadmin", method,
        DeleteNamespaceRequest.newBuilder().setNamespaceId("id-ns1").build(), null), "ns1");
    denied(call("nsadmin", method,
        DeleteNamespaceRequest.newBuilder().setNamespaceId("id-ns2").build(), null),
        Reason.MISSING_NAMESPACE_PERMISSION);
    denied(call("writer", method,
        DeleteNamespaceRequest.newBuilder().setNamespaceId("id-ns1").build(), null),
        Reason.MISSING_NAMESPACE_PERMISSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"StartWorkflowExecution", "DescribeNamespace", "ListWorkflowExecutions",
      "UpdateNamespace", "RespondWorkflowTaskCompleted"})
  void emptyNamespaceIsForGlobalAdminAndAccountOwnerOnly(String method) {
    for (String who : List.of("reader", "writer", "nsadmin", "sa-ns1", "dev", "viewer")) {
      denied(Fixtures.asPrincipal(POLICY, who, WF + method, new byte[0]), Reason.NO_NAMESPACE);
      denied(Fixtures.asPrincipal(POLICY, who, WF + method, Fixtures.withNamespace(WF + method, "")),
          Reason.NO_NAMESPACE);
    }
    for (String who : List.of("admin", "owner")) {
      allowed(Fixtures.asPrincipal(POLICY, who, WF + method, new byte[0]));
    }
  }

  @Test
  void namespaceFieldsOfAccountScopedMethodsAreFiltersNotTargets() {
    allowed(call("viewer", CLOUD + "GetUsers",
        GetUsersRequest.newBuilder().setNamespace("ns2").build(), null));
    allowed(call("sa-ns1", CLOUD + "GetUserGroups",
        GetUserGroupsRequest.newBuilder().setNamespace("ns2").build(), null));
    allowed(call("dev", CLOUD + "GetConnectivityRules",
        GetConnectivityRulesRequest.newBuilder().setNamespace("ns2").build(), null));
    assertTrue(Fixtures.asPrincipal(POLICY, "viewer", CLOUD + "GetUsers", null, "ns2").allowed(),
        "the temporal-namespace header is not a target of an account-scoped method");
    // and a grant on the named namespace does not stand in for the role
    denied(call("nsadmin", CLOUD + "UpdateNamespaceTags",
        UpdateNamespaceTagsRequest.newBuilder().setNamespace("ns1").build(), null),
        Reason.MISSING_ROLE);
    denied(call("sa-ns1", CLOUD + "GetConnectivityRules",
        GetConnectivityRulesRequest.newBuilder().setNamespace("ns1").build(), null),
        Reason.MISSING_ROLE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "0a05 6e73", // namespace claims 5 bytes, has 2
      "0a02 c328", // namespace is not UTF-8
      "0a", // tag without length
      "ffffffffffffffffffff01", // varint longer than 10 bytes
      "07"}) // wire type 7
  void malformedBodyIsInvalidArgument(String hex) {
    byte[] body = HexFormat.of().parseHex(hex.replace(" ", ""));
    for (String who : List.of("writer", "admin")) {
      Decision decision = Fixtures.asPrincipal(POLICY, who, START, body);
      denied(decision, Reason.MALFORMED_REQUEST);
      assertTrue(decision.message().contains("StartWorkflowExecutionRequest"), decision.message());
    }
    denied(Fixtures.asPrincipal(POLICY, "dev", CLOUD + "CreateApiKey", body),
        Reason.MALFORMED_REQUEST);
  }
}
