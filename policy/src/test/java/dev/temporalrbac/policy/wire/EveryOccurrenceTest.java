package dev.temporalrbac.policy.wire;

import static dev.temporalrbac.policy.wire.WireBytes.assertAgree;
import static dev.temporalrbac.policy.wire.WireBytes.assertCovers;
import static dev.temporalrbac.policy.wire.WireBytes.concat;
import static dev.temporalrbac.policy.wire.WireBytes.len;
import static dev.temporalrbac.policy.wire.WireBytes.scan;
import static dev.temporalrbac.policy.wire.WireBytes.str;
import static dev.temporalrbac.policy.wire.WireScannerTest.COMPLETE;
import static dev.temporalrbac.policy.wire.WireScannerTest.MULTI;
import static dev.temporalrbac.policy.wire.WireScannerTest.NS;
import static dev.temporalrbac.policy.wire.WireScannerTest.RESPOND;
import static dev.temporalrbac.policy.wire.WireScannerTest.START;
import static dev.temporalrbac.policy.wire.WireScannerTest.START_CHILD;
import static dev.temporalrbac.policy.wire.WireScannerTest.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PERMISSIONS.md §5: every occurrence of a namespace counts, so whichever one a parser keeps was
 * authorized. Each case checks the scanner's set and that it covers protobuf-java's generated
 * parser, DynamicMessage and the Go-rule reader. Single-valued facts must agree across occurrences.
 */
class EveryOccurrenceTest {
  @Test
  void everyOccurrenceOfNamespaceCounts() throws Exception {
    byte[] bytes = concat(str(NS, "first"), str(NS, "second"));
    StartWorkflowExecutionRequest parsed = StartWorkflowExecutionRequest.parseFrom(bytes);
    assertEquals("second", parsed.getNamespace(), "a parser keeps the last");
    assertCovers(START, bytes, parsed, "first", "second");
  }

  @Test
  void emptyOccurrencesAddNothingAndRepeatsCountOnce() throws Exception {
    byte[] bytes = concat(str(NS, "first"), str(NS, ""), str(NS, "first"));
    assertCovers(START, bytes, StartWorkflowExecutionRequest.parseFrom(bytes), "first");
    byte[] empty = concat(str(NS, ""), str(NS, ""));
    assertTrue(scan(START, empty).namespaces().isEmpty());
  }

  @Test
  void singularMessageOccurrencesAreEachRead() throws Exception {
    // 2nd occurrence lacks the namespace: the 1st's survives the parser's merge
    byte[] keep = command(len(START_CHILD, str(NS, "x")), len(START_CHILD, str(2, "wf-id")));
    RespondWorkflowTaskCompletedRequest parsed = RespondWorkflowTaskCompletedRequest.parseFrom(keep);
    StartChildWorkflowExecutionCommandAttributes merged =
        parsed.getCommands(0).getStartChildWorkflowExecutionCommandAttributes();
    assertEquals("wf-id", merged.getWorkflowId(), "field 2 is workflow_id; both parts merged");
    assertAgree(RESPOND, keep, parsed, "x");

    // both set it: the parser keeps "y", the scanner reports both
    byte[] replace = command(len(START_CHILD, str(NS, "x")), len(START_CHILD, str(NS, "y")));
    assertCovers(RESPOND, replace, RespondWorkflowTaskCompletedRequest.parseFrom(replace),
        "x", "y");

    // merge across two occurrences of the top-level spec of a `paths` plan
    int spec = io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.SPEC_FIELD_NUMBER;
    int owner = io.temporal.api.cloud.identity.v1.ApiKeySpec.OWNER_ID_FIELD_NUMBER;
    Descriptor create = io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.getDescriptor();
    RequestPlan plan = new PlanCompiler().paths(create,
        Map.of("spec.owner_id", Fact.OWNER_ID), new ArrayList<>());
    byte[] specs = concat(len(spec, str(owner, "alice")), len(spec, str(4, "description")));
    var parsedSpec = io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.parseFrom(specs)
        .getSpec();
    assertEquals("description", parsedSpec.getDescription());
    assertEquals("alice", parsedSpec.getOwnerId());
    assertEquals("alice", scan(plan, specs).value(Fact.OWNER_ID));
  }

  @Test
  void oneofMembersDoNotClearEarlierOccurrences() throws Exception {
    // the parser keeps only complete_...; the scanner still reports the earlier child's namespace
    byte[] bytes = command(len(START_CHILD, str(NS, "x")), len(COMPLETE, new byte[0]));
    RespondWorkflowTaskCompletedRequest parsed = RespondWorkflowTaskCompletedRequest.parseFrom(bytes);
    assertTrue(parsed.getCommands(0).hasCompleteWorkflowExecutionCommandAttributes());
    assertCovers(RESPOND, bytes, parsed, "x");

    // Set again after another member: protobuf-java's generated builders revive the earlier
    // content ("x"); Go, C++ and DynamicMessage start afresh (nothing). The scanner covers both.
    byte[] again = command(len(START_CHILD, str(NS, "x")), len(COMPLETE, new byte[0]),
        len(START_CHILD, str(2, "wf")));
    RespondWorkflowTaskCompletedRequest revived = RespondWorkflowTaskCompletedRequest.parseFrom(again);
    assertEquals("x", revived.getCommands(0).getStartChildWorkflowExecutionCommandAttributes()
        .getNamespace(), "protobuf-java revives the member");
    assertEquals(List.of(), GoRuleReader.namespaces(RESPOND, again), "Go starts afresh");
    assertCovers(RESPOND, again, revived, "x");

    // ExecuteMultiOperation: update_workflow replaces start_workflow in the same operation
    byte[] multi = len(ExecuteMultiOperationRequest.OPERATIONS_FIELD_NUMBER, concat(
        len(Operation.START_WORKFLOW_FIELD_NUMBER, str(NS, "a")),
        len(Operation.UPDATE_WORKFLOW_FIELD_NUMBER, str(NS, "b"))));
    assertCovers(MULTI, multi, ExecuteMultiOperationRequest.parseFrom(multi), "a", "b");
  }


  // ---- single-valued facts ----------------------------------------------------------------------

  private static final Descriptor CREATE_KEY =
      io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.getDescriptor();
  private static final int SPEC =
      io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest.SPEC_FIELD_NUMBER;
  private static final int OWNER =
      io.temporal.api.cloud.identity.v1.ApiKeySpec.OWNER_ID_FIELD_NUMBER;

  private static RequestFacts readOwner(byte[] bytes) throws MalformedRequestException {
    RequestPlan plan = new PlanCompiler().paths(CREATE_KEY,
        Map.of("spec.owner_id", Fact.OWNER_ID), new ArrayList<>());
    return scan(plan, bytes);
  }

  @Test
  void singleValuedFactsMustAgreeAcrossOccurrences() throws Exception {
    // the same value in two specs and twice in one: one value
    RequestFacts same = readOwner(concat(len(SPEC, str(OWNER, "alice")),
        len(SPEC, concat(str(OWNER, "alice"), str(OWNER, "alice")))));
    assertEquals("alice", same.value(Fact.OWNER_ID));
    assertTrue(same.present(Fact.OWNER_ID));
    // different values, or a value and an explicit empty string: malformed, in either order
    List<byte[]> conflicts = List.of(
        concat(len(SPEC, str(OWNER, "alice")), len(SPEC, str(OWNER, "bob"))),
        len(SPEC, concat(str(OWNER, "bob"), str(OWNER, "alice"))),
        len(SPEC, concat(str(OWNER, "alice"), str(OWNER, ""))),
        len(SPEC, concat(str(OWNER, ""), str(OWNER, "alice"))),
        len(SPEC, concat(str(OWNER, "é"), str(OWNER, "e"))));
    for (byte[] bytes : conflicts) {
      MalformedRequestException e =
          assertThrows(MalformedRequestException.class, () -> readOwner(bytes));
      assertEquals("owner_id appears more than once with different values; send it once"
          + " (parsers disagree on which value they keep)", e.getMessage());
    }
    // only empty occurrences: absent
    RequestFacts empty = readOwner(len(SPEC, concat(str(OWNER, ""), str(OWNER, ""))));
    assertEquals("", empty.value(Fact.OWNER_ID));
    assertTrue(!empty.present(Fact.OWNER_ID));
    // non-ASCII values compare as text
    assertEquals("é", readOwner(len(SPEC, concat(str(OWNER, "é"), str(OWNER, "é"))))
        .value(Fact.OWNER_ID));
  }

  /**
   * The runtime rules' facts (everything but namespaces) must not sit under a oneof: there
   * protobuf-java and Go read different values, and presence would depend on the parser. Checked
   * for every plan in the catalog, against the descriptors.
   */
  @Test
  void noSingleValuedOrPresenceFactSitsUnderAOneof() {
    int checked = 0;
    for (CatalogEntry entry : MethodCatalog.load().entries()) {
      for (String path : entry.plan().paths()) {
        if (path.endsWith("=NAMESPACE") || path.endsWith("=NAMESPACE_ID")
            || path.endsWith("...")) {
          continue;
        }
        Descriptor type = entry.plan().requestType();
        for (String name : path.substring(0, path.indexOf('=')).split("\\.")) {
          FieldDescriptor field = type.findFieldByName(name.replace("[]", ""));
          assertTrue(field.getRealContainingOneof() == null,
              entry.fullMethodName() + " reads " + path + " through oneof member " + name);
          type = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              ? field.getMessageType() : null;
        }
        checked++;
      }
    }
    assertTrue(checked >= 10, "behaviour facts checked: " + checked);
  }
}
