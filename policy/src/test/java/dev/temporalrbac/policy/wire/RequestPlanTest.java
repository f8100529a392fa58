package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountRequest;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The paths {@link PlanCompiler} plans, as {@link RequestPlan#paths()} describes them. */
class RequestPlanTest {
  private final PlanCompiler compiler = new PlanCompiler();

  private static Arguments plan(Descriptor request, String... paths) {
    return Arguments.of(Named.of(request.getName(), request), List.of(paths));
  }

  static Stream<Arguments> namespaceScopedPlans() {
    return Stream.of(
        plan(DescribeNamespaceRequest.getDescriptor(), "namespace=NAMESPACE", "id=NAMESPACE_ID"),
        plan(RespondWorkflowTaskCompletedRequest.getDescriptor(),
            "commands[].request_cancel_external_workflow_execution_command_attributes.namespace"
                + "=NAMESPACE",
            "commands[].start_child_workflow_execution_command_attributes.namespace=NAMESPACE",
            "commands[].signal_external_workflow_execution_command_attributes.namespace=NAMESPACE",
            "namespace=NAMESPACE"),
        plan(ExecuteMultiOperationRequest.getDescriptor(), "namespace=NAMESPACE",
            "operations[].start_workflow.namespace=NAMESPACE",
            "operations[].update_workflow.namespace=NAMESPACE"),
        // top-level namespace_id is a NAMESPACE_ID fact
        plan(DeleteNamespaceRequest.getDescriptor(),
            "namespace=NAMESPACE", "namespace_id=NAMESPACE_ID"),
        // namespaces inside links (Link) and failures (Failure) are not targets
        plan(StartWorkflowExecutionRequest.getDescriptor(), "namespace=NAMESPACE"),
        plan(SignalWithStartWorkflowExecutionRequest.getDescriptor(), "namespace=NAMESPACE"),
        plan(RespondWorkflowTaskFailedRequest.getDescriptor(), "namespace=NAMESPACE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namespaceScopedPlans")
  void plansEveryNamespaceTargetAndNothingElse(Descriptor request, List<String> expected) {
    RequestPlan plan = compiler.namespaceScoped(request);
    assertEquals(expected, plan.paths());
    assertSame(request, plan.requestType());
    assertFalse(plan.readsNothing());
  }

  @Test
  void noCatalogPlanReadsFailuresOrLinks() {
    MethodCatalog catalog = MethodCatalog.load();
    int namespacePaths = 0;
    for (CatalogEntry entry : catalog.entries()) {
      for (String path : entry.plan().paths()) {
        assertFalse(path.contains("failure") || path.contains("links"),
            entry.fullMethodName() + " reads " + path);
        namespacePaths += path.endsWith("=NAMESPACE") ? 1 : 0;
      }
    }
    assertTrue(namespacePaths > 100, "the catalog plans namespaces: " + namespacePaths);
  }

  @Test
  void sharingOneCompilerGivesTheSamePlansAsFreshCompilers() {
    // walk plans are shared (and pruned once) across requests compiled by one compiler
    List<Descriptor> requests = List.of(ExecuteMultiOperationRequest.getDescriptor(),
        StartWorkflowExecutionRequest.getDescriptor(),
        RespondWorkflowTaskCompletedRequest.getDescriptor(),
        SignalWithStartWorkflowExecutionRequest.getDescriptor());
    List<List<String>> shared = new ArrayList<>();
    List<List<String>> reversed = new ArrayList<>();
    PlanCompiler one = new PlanCompiler();
    PlanCompiler other = new PlanCompiler();
    for (int i = 0; i < requests.size(); i++) {
      shared.add(one.namespaceScoped(requests.get(i)).paths());
      reversed.add(0, other.namespaceScoped(requests.get(requests.size() - 1 - i)).paths());
    }
    for (int i = 0; i < requests.size(); i++) {
      List<String> fresh = new PlanCompiler().namespaceScoped(requests.get(i)).paths();
      assertEquals(fresh, shared.get(i));
      assertEquals(fresh, reversed.get(i));
    }
  }

  @Test
  void emptyPlanReadsNothing() throws Exception {
    RequestPlan plan = compiler.empty(StartWorkflowExecutionRequest.getDescriptor());
    assertTrue(plan.readsNothing());
    assertEquals(List.of(), plan.paths());
    RequestFacts facts = new RequestFacts();
    byte[] bytes = StartWorkflowExecutionRequest.newBuilder().setNamespace("x").build()
        .toByteArray();
    RequestReader.read(plan, bytes, facts);
    assertEquals(List.of(), facts.namespaces());
  }

  @Test
  void pathPlansResolveExistingFieldsAndSkipMissingOnes() {
    Map<String, Fact> wanted = new LinkedHashMap<>();
    wanted.put("service_account_id", Fact.SERVICE_ACCOUNT_ID);
    wanted.put("spec.namespace_scoped_access", Fact.SCOPED_ACCESS);
    wanted.put("spec.namespace_scoped_access.namespace", Fact.SCOPED_NAMESPACE);
    wanted.put("spec.no_such_field", Fact.OWNER_ID);
    wanted.put("nope.owner_id", Fact.OWNER_ID);
    wanted.put("service_account_id.deeper", Fact.OWNER_ID); // through a string: not a path
    List<String> resolved = new ArrayList<>();
    RequestPlan plan = compiler.paths(UpdateServiceAccountRequest.getDescriptor(), wanted, resolved);
    assertEquals(List.of("service_account_id", "spec.namespace_scoped_access",
        "spec.namespace_scoped_access.namespace"), resolved);
    assertEquals(List.of("service_account_id=SERVICE_ACCOUNT_ID",
        "spec.namespace_scoped_access=SCOPED_ACCESS",
        "spec.namespace_scoped_access.namespace=SCOPED_NAMESPACE"), plan.paths());
  }

  @Test
  void pathPlansRejectFactsThatDoNotFitTheField() {
    // a string fact on a message field, a presence fact on a scalar string
    assertThrows(IllegalStateException.class, () -> compiler.paths(
        CreateApiKeyRequest.getDescriptor(), Map.of("spec", Fact.OWNER_ID), new ArrayList<>()));
    assertThrows(IllegalStateException.class, () -> compiler.paths(
        CreateApiKeyRequest.getDescriptor(), Map.of("spec.owner_id", Fact.TAGS),
        new ArrayList<>()));
  }

  /** Only singular {@code string namespace} fields are targets; a recursive type loops once. */
  @Test
  void onlySingularStringNamespacesAreTargets() throws Exception {
    DescriptorProto inner = DescriptorProto.newBuilder().setName("Inner")
        .addField(field("namespace", 1, Type.TYPE_STRING, null))
        .addField(field("self", 2, Type.TYPE_MESSAGE, ".t.Inner"))
        .build();
    DescriptorProto root = DescriptorProto.newBuilder().setName("Root")
        .addField(field("namespace", 1, Type.TYPE_INT64, null))
        .addField(field("namespace_list", 2, Type.TYPE_STRING, null))
        .addField(field("inner", 3, Type.TYPE_MESSAGE, ".t.Inner").setLabel(Label.LABEL_REPEATED))
        .addField(field("unrelated", 4, Type.TYPE_MESSAGE, ".t.Empty"))
        .addField(field("namespace_id", 5, Type.TYPE_STRING, null))
        .build();
    DescriptorProto repeatedNamespace = DescriptorProto.newBuilder().setName("Rep")
        .addField(field("namespace", 1, Type.TYPE_STRING, null).setLabel(Label.LABEL_REPEATED))
        .build();
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("t/plan.proto")
        .setPackage("t").setSyntax("proto3").addMessageType(inner).addMessageType(root)
        .addMessageType(repeatedNamespace)
        .addMessageType(DescriptorProto.newBuilder().setName("Empty")).build();
    FileDescriptor descriptors = FileDescriptor.buildFrom(file, new FileDescriptor[0]);

    RequestPlan plan = compiler.namespaceScoped(descriptors.findMessageTypeByName("Root"));
    // Inner's plan is shared, so `self` loops back to it at once
    assertEquals(List.of("inner[].namespace=NAMESPACE", "inner[].self....",
        "namespace_id=NAMESPACE_ID"), plan.paths());
    assertTrue(compiler.namespaceScoped(descriptors.findMessageTypeByName("Rep")).readsNothing());
    assertEquals(Set.of("temporal.api.failure.v1.Failure", "temporal.api.common.v1.Link"),
        PlanCompiler.DESCRIPTIVE_TYPES);
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type,
      String typeName) {
    FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(name)
        .setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
    return typeName == null ? field : field.setTypeName(typeName);
  }
}
