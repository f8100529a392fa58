package dev.temporalrbac.policy.wire;

import static io.temporal.api.command.v1.Command.COMPLETE_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER;
import static io.temporal.api.command.v1.Command.START_CHILD_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER;
import static dev.temporalrbac.policy.wire.WireBytes.assertAgree;
import static dev.temporalrbac.policy.wire.WireBytes.concat;
import static dev.temporalrbac.policy.wire.WireBytes.groups;
import static dev.temporalrbac.policy.wire.WireBytes.hex;
import static dev.temporalrbac.policy.wire.WireBytes.len;
import static dev.temporalrbac.policy.wire.WireBytes.nestedNodes;
import static dev.temporalrbac.policy.wire.WireBytes.raw;
import static dev.temporalrbac.policy.wire.WireBytes.recursiveNode;
import static dev.temporalrbac.policy.wire.WireBytes.scan;
import static dev.temporalrbac.policy.wire.WireBytes.str;
import static dev.temporalrbac.policy.wire.WireBytes.varint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.Link;
import io.temporal.api.failure.v1.ChildWorkflowExecutionFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scanner must read what the server reads: every case below is checked against the generated
 * parser of the same bytes. Raw bytes cover what the generated builders cannot produce.
 */
class WireScannerTest {
  static final Descriptor START = StartWorkflowExecutionRequest.getDescriptor();
  static final Descriptor RESPOND = RespondWorkflowTaskCompletedRequest.getDescriptor();
  static final Descriptor MULTI = ExecuteMultiOperationRequest.getDescriptor();
  static final int NS = 1; // `namespace` is field 1 of every request used here
  static final int COMMANDS = RespondWorkflowTaskCompletedRequest.COMMANDS_FIELD_NUMBER;
  static final int START_CHILD = START_CHILD_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER;
  static final int COMPLETE = COMPLETE_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER;

  // ---- generated messages ---------------------------------------------------------------------

  @Test
  void readsTopLevelNamespaceOfGeneratedRequest() throws Exception {
    byte[] bytes = StartWorkflowExecutionRequest.newBuilder().setNamespace("orders")
        .setWorkflowId("wf").setRequestId("r").build().toByteArray();
    assertAgree(START, bytes, StartWorkflowExecutionRequest.parseFrom(bytes), "orders");
  }

  @Test
  void everyRepeatedCommandContributesItsNamespace() throws Exception {
    RespondWorkflowTaskCompletedRequest.Builder request =
        RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("home");
    request.addCommandsBuilder().getStartChildWorkflowExecutionCommandAttributesBuilder()
        .setNamespace("child-ns");
    request.addCommandsBuilder().getSignalExternalWorkflowExecutionCommandAttributesBuilder()
        .setNamespace("signal-ns");
    request.addCommandsBuilder().getRequestCancelExternalWorkflowExecutionCommandAttributesBuilder()
        .setNamespace("cancel-ns");
    request.addCommandsBuilder().getStartChildWorkflowExecutionCommandAttributesBuilder()
        .setNamespace("child-ns");
    byte[] bytes = request.build().toByteArray();
    assertAgree(RESPOND, bytes, RespondWorkflowTaskCompletedRequest.parseFrom(bytes),
        "home", "child-ns", "signal-ns", "cancel-ns", "child-ns");
  }

  @Test
  void readsExecuteMultiOperationInnerRequests() throws Exception {
    byte[] bytes = ExecuteMultiOperationRequest.newBuilder().setNamespace("outer")
        .addOperations(Operation.newBuilder().setStartWorkflow(
            StartWorkflowExecutionRequest.newBuilder().setNamespace("start-ns")))
        .addOperations(Operation.newBuilder().setUpdateWorkflow(
            UpdateWorkflowExecutionRequest.newBuilder().setNamespace("update-ns")))
        .build().toByteArray();
    assertAgree(MULTI, bytes, ExecuteMultiOperationRequest.parseFrom(bytes),
        "outer", "start-ns", "update-ns");
  }

  @Test
  void ignoresNamespacesInsideFailureAndLink() throws Exception {
    Failure failure = Failure.newBuilder().setMessage("boom")
        .setChildWorkflowExecutionFailureInfo(
            ChildWorkflowExecutionFailureInfo.newBuilder().setNamespace("in-failure"))
        .setCause(Failure.newBuilder().setChildWorkflowExecutionFailureInfo(
            ChildWorkflowExecutionFailureInfo.newBuilder().setNamespace("in-cause")))
        .build();
    byte[] failed = RespondWorkflowTaskFailedRequest.newBuilder().setNamespace("home")
        .setFailure(failure).build().toByteArray();
    assertEquals("in-failure", RespondWorkflowTaskFailedRequest.parseFrom(failed).getFailure()
        .getChildWorkflowExecutionFailureInfo().getNamespace(), "the bytes do carry it");
    assertEquals(List.of("home"),
        scan(RespondWorkflowTaskFailedRequest.getDescriptor(), failed).namespaces());

    byte[] linked = StartWorkflowExecutionRequest.newBuilder().setNamespace("home")
        .addLinks(Link.newBuilder().setWorkflowEvent(
            Link.WorkflowEvent.newBuilder().setNamespace("linked").setWorkflowId("w")))
        .build().toByteArray();
    assertEquals("linked", StartWorkflowExecutionRequest.parseFrom(linked).getLinks(0)
        .getWorkflowEvent().getNamespace());
    assertEquals(List.of("home"), scan(START, linked).namespaces());

    byte[] failCommand = RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("home")
        .addCommands(Command.newBuilder().setFailWorkflowExecutionCommandAttributes(
            io.temporal.api.command.v1.FailWorkflowExecutionCommandAttributes.newBuilder()
                .setFailure(failure)))
        .build().toByteArray();
    assertEquals(List.of("home"), scan(RESPOND, failCommand).namespaces());
  }

  @Test
  void reportsNamespaceIdOfDescribeNamespace() throws Exception {
    byte[] bytes = DescribeNamespaceRequest.newBuilder().setId("ns-id-1").build().toByteArray();
    RequestFacts facts = scan(DescribeNamespaceRequest.getDescriptor(), bytes);
    assertEquals(List.of(), facts.namespaces());
    assertEquals(List.of("ns-id-1"), facts.namespaceIds());
  }

  /** One command holding {@code parts} (e.g. occurrences of its oneof members). */
  static byte[] command(byte[]... parts) {
    return len(COMMANDS, concat(parts));
  }

  @Test
  void oneofMemberWithWrongWireTypeIsUnknownAndClearsNothing() throws Exception {
    byte[] bytes = command(len(START_CHILD, str(NS, "x")), varint(COMPLETE, 1));
    RespondWorkflowTaskCompletedRequest parsed = RespondWorkflowTaskCompletedRequest.parseFrom(bytes);
    assertTrue(parsed.getCommands(0).hasStartChildWorkflowExecutionCommandAttributes());
    assertAgree(RESPOND, bytes, parsed, "x");
  }

  @Test
  void unknownFieldsAndGroupsAreSkipped() throws Exception {
    byte[] group = raw(o -> {
      o.writeTag(904, 3);            // unknown group ...
      o.writeString(NS, "evil");     // ... whose field 1 is not the request's namespace
      o.writeTag(905, 3);
      o.writeString(NS, "evil2");
      o.writeTag(905, 4);
      o.writeTag(904, 4);
      o.writeTag(NS, 3);             // namespace sent as a group: unknown field
      o.writeString(NS, "evil3");
      o.writeTag(NS, 4);
    });
    byte[] bytes = concat(varint(900, 5), raw(o -> o.writeFixed64(901, 7)),
        raw(o -> o.writeFixed32(902, 7)), len(903, new byte[] {1, 2, 3}), group,
        str(NS, "real"), varint(NS, 42), raw(o -> o.writeFixed32(NS, 1)),
        varint(536_870_911, 1)); // highest legal field number
    StartWorkflowExecutionRequest parsed = StartWorkflowExecutionRequest.parseFrom(bytes);
    assertEquals("real", parsed.getNamespace());
    assertAgree(START, bytes, parsed, "real");
  }

  @Test
  void nonMinimalVarintsAreReadLikeTheParser() throws Exception {
    // tag 0x0a and length 3 both padded to 5 bytes
    byte[] bytes = {(byte) 0x8a, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00,
        (byte) 0x83, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00, 'a', 'b', 'c'};
    assertAgree(START, bytes, StartWorkflowExecutionRequest.parseFrom(bytes), "abc");
  }

  // ---- malformed input: the scanner rejects what the parser rejects ----------------------------

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource({
      "0a, tag without length",
      "0a 05 61 62, length overruns the message",
      "0a ff, truncated length varint",
      "0a ff ff ff ff 0f, length of 4 GiB",
      "c8 3e, truncated varint value of unknown field 1001",
      "c8 3e ff ff ff ff ff ff ff ff ff ff 01, varint longer than 10 bytes",
      "09 01 02, truncated fixed64",
      "0d 01 02, truncated fixed32",
      "00, field number 0",
      "02 00, field number 0 with length",
      "0c, end-group without start-group",
      "0a 01 61 0c, end-group after a valid namespace",
      "0b 0a 01 61, unterminated group",
      "0b 14, group closed by another field's end-group",
      "0e 00, wire type 6",
      "0f 00, wire type 7",
      "0a 02 c0 80, namespace is overlong UTF-8",
      "0a 03 ed a0 80, namespace is a UTF-16 surrogate",
      "0a 01 ff, namespace is not UTF-8",
  })
  void rejectsMalformedTopLevelBytes(String hex, String why) {
    byte[] bytes = hex(hex);
    assertThrows(InvalidProtocolBufferException.class,
        () -> StartWorkflowExecutionRequest.parseFrom(bytes), "parser rejects: " + why);
    assertThrows(MalformedRequestException.class, () -> scan(START, bytes), why);
  }

  @Test
  void rejectsMalformedNestedPlannedMessages() {
    List<byte[]> cases = List.of(
        command(hex("0a 05")),                                    // overrun inside a command
        command(len(START_CHILD, hex("0a 02 c3 28"))),           // bad UTF-8 in child namespace
        command(len(START_CHILD, hex("0c"))),                    // stray end-group, depth 2
        command(len(START_CHILD, concat(str(NS, "x"), hex("ff")))));  // truncated tag
    for (byte[] bytes : cases) {
      assertThrows(InvalidProtocolBufferException.class,
          () -> RespondWorkflowTaskCompletedRequest.parseFrom(bytes));
      assertThrows(MalformedRequestException.class, () -> scan(RESPOND, bytes));
    }
  }

  @Test
  void rejectsFieldNumbersAboveTheProtobufMaximum() {
    // field 2^29 (one past the maximum) as a varint field: invalid per the protobuf spec
    byte[] bytes = concat(hex("80 80 80 80 10 01"), str(NS, "a"));
    assertThrows(MalformedRequestException.class, () -> scan(START, bytes));
  }

  // ---- nesting limit ----------------------------------------------------------------------------

  @Test
  void messagesAndGroupsShareTheNestingLimitOf100() throws Exception {
    Descriptor node = recursiveNode();
    RequestPlan plan = new PlanCompiler().namespaceScoped(node);
    assertEquals(List.of("namespace=NAMESPACE", "child.namespace=NAMESPACE", "child.child...."),
        plan.paths());
    // {nested messages, then nested unknown groups inside the deepest message}
    int[][] accepted = {{100, 0}, {0, 100}, {50, 50}, {99, 1}};
    for (int[] depth : accepted) {
      byte[] bytes = nestedNodes(depth[0], depth[1]);
      DynamicMessage.parseFrom(node, bytes); // the parser accepts it
      assertEquals(depth[0] + 1, scan(plan, bytes).namespaces().size());
    }
    int[][] rejected = {{101, 0}, {0, 101}, {50, 51}, {100, 1}, {0, 500}};
    for (int[] depth : rejected) {
      byte[] bytes = nestedNodes(depth[0], depth[1]);
      String why = depth[0] + " messages, " + depth[1] + " groups";
      assertThrows(InvalidProtocolBufferException.class,
          () -> DynamicMessage.parseFrom(node, bytes), why);
      assertThrows(MalformedRequestException.class, () -> scan(plan, bytes), why);
    }
  }

  @Test
  void unknownGroupsInGeneratedRequestsFollowTheSameLimit() throws Exception {
    byte[] ok = concat(str(NS, "ns"), groups(100));
    assertEquals("ns", StartWorkflowExecutionRequest.parseFrom(ok).getNamespace());
    assertEquals(List.of("ns"), scan(START, ok).namespaces());
    byte[] bad = concat(str(NS, "ns"), groups(101));
    assertThrows(InvalidProtocolBufferException.class,
        () -> StartWorkflowExecutionRequest.parseFrom(bad));
    assertThrows(MalformedRequestException.class, () -> scan(START, bad));
  }
}
