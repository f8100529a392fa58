package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.temporal.api.cloud.cloudservice.v1.CreateServiceAccountRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of {@link PlanCompiler}: which {@code namespace_id} and {@code id} fields name a
 * namespace, which facts fit which fields at fixed paths, paths through fields that are not
 * singular messages, and that every compiled plan is frozen. Each test compiles afresh.
 */
class PlanCompilerEdgeTest {
  private static final Descriptor ROOT;
  private static final Descriptor IDS;
  private static final Descriptor REPEATED_IDS;

  static {
    DescriptorProto item = DescriptorProto.newBuilder().setName("Item")
        .addField(field("name", 1, Type.TYPE_STRING))
        .build();
    DescriptorProto root = DescriptorProto.newBuilder().setName("Root")
        .addField(field("count", 1, Type.TYPE_INT64))
        .addField(field("labels", 2, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
        .addField(field("items", 3, Type.TYPE_MESSAGE).setTypeName(".e.Item")
            .setLabel(Label.LABEL_REPEATED))
        .addField(field("item", 4, Type.TYPE_MESSAGE).setTypeName(".e.Item"))
        .addField(field("owner", 5, Type.TYPE_STRING))
        .build();
    // namespace_id in forms that name no namespace, and an `id` outside DescribeNamespace
    DescriptorProto ids = DescriptorProto.newBuilder().setName("Ids")
        .addField(field("namespace_id", 1, Type.TYPE_INT64))
        .addField(field("id", 2, Type.TYPE_STRING))
        .addField(field("other", 3, Type.TYPE_STRING))
        .build();
    DescriptorProto repeatedIds = DescriptorProto.newBuilder().setName("RepeatedIds")
        .addField(field("namespace_id", 1, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
        .build();
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("e/edge.proto")
        .setPackage("e").setSyntax("proto3").addMessageType(item).addMessageType(root)
        .addMessageType(ids).addMessageType(repeatedIds).build();
    try {
      FileDescriptor descriptors = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
      ROOT = descriptors.findMessageTypeByName("Root");
      IDS = descriptors.findMessageTypeByName("Ids");
      REPEATED_IDS = descriptors.findMessageTypeByName("RepeatedIds");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(Label.LABEL_OPTIONAL);
  }

  private static RequestPlan paths(Descriptor type, Map<String, Fact> wanted,
      List<String> resolved) {
    return new PlanCompiler().paths(type, wanted, resolved);
  }

  // ---- namespace ids --------------------------------------------------------------------------

  @Test
  void onlyASingularStringNamespaceIdNamesANamespace() {
    assertTrue(new PlanCompiler().namespaceScoped(IDS).readsNothing(),
        "an int64 namespace_id, and an id outside DescribeNamespace, are not namespace ids");
    assertTrue(new PlanCompiler().namespaceScoped(REPEATED_IDS).readsNothing(),
        "a repeated namespace_id is not one either");
  }

  @Test
  void describeNamespaceNamesItsNamespaceByIdToo() {
    RequestPlan plan = new PlanCompiler().namespaceScoped(DescribeNamespaceRequest.getDescriptor());
    assertEquals(List.of("namespace=NAMESPACE", "id=NAMESPACE_ID"), plan.paths());
    assertTrue(plan.reads(Fact.NAMESPACE_ID));
    assertTrue(plan.reads(Fact.NAMESPACE));
    assertFalse(plan.reads(Fact.OWNER_ID));
  }

  // ---- fixed paths ----------------------------------------------------------------------------

  @Test
  void aPresenceFactFitsASingularMessageOrARepeatedField() {
    Map<String, Fact> wanted = new LinkedHashMap<>();
    wanted.put("item", Fact.ACCOUNT_ACCESS);
    wanted.put("labels", Fact.TAGS);
    wanted.put("items", Fact.SCOPED_ACCESS);
    List<String> resolved = new ArrayList<>();
    RequestPlan plan = paths(ROOT, wanted, resolved);
    assertEquals(List.of("item", "labels", "items"), resolved);
    assertEquals(List.of("labels[]=TAGS", "items[]=SCOPED_ACCESS", "item=ACCOUNT_ACCESS"),
        plan.paths());
  }

  @Test
  void aPresenceFactDoesNotFitASingularScalar() {
    assertThrows(IllegalStateException.class,
        () -> paths(ROOT, Map.of("count", Fact.TAGS), new ArrayList<>()));
  }

  @Test
  void aStringFactFitsOnlyASingularString() {
    List<String> resolved = new ArrayList<>();
    paths(ROOT, Map.of("owner", Fact.OWNER_ID), resolved);
    assertEquals(List.of("owner"), resolved);
    IllegalStateException int64 = assertThrows(IllegalStateException.class,
        () -> paths(ROOT, Map.of("count", Fact.OWNER_ID), new ArrayList<>()));
    assertTrue(int64.getMessage().contains("e.Root.count does not fit fact OWNER_ID"),
        int64.getMessage());
    assertThrows(IllegalStateException.class,
        () -> paths(ROOT, Map.of("labels", Fact.OWNER_ID), new ArrayList<>()));
  }

  @Test
  void aPathLeadsOnlyThroughSingularMessages() {
    Map<String, Fact> wanted = new LinkedHashMap<>();
    wanted.put("items.name", Fact.OWNER_ID); // through a repeated message
    wanted.put("count.name", Fact.KEY_ID); // through a scalar
    wanted.put("item.name", Fact.SERVICE_ACCOUNT_ID);
    List<String> resolved = new ArrayList<>();
    RequestPlan plan = paths(ROOT, wanted, resolved);
    assertEquals(List.of("item.name"), resolved);
    assertEquals(List.of("item.name=SERVICE_ACCOUNT_ID"), plan.paths());
  }

  @Test
  void pathsSharingAPrefixShareItsNode() throws Exception {
    Map<String, Fact> wanted = new LinkedHashMap<>();
    wanted.put("spec.access", Fact.ACCOUNT_ACCESS);
    wanted.put("spec.namespace_scoped_access", Fact.SCOPED_ACCESS);
    wanted.put("spec.namespace_scoped_access.namespace", Fact.SCOPED_NAMESPACE);
    List<String> resolved = new ArrayList<>();
    RequestPlan plan = paths(CreateServiceAccountRequest.getDescriptor(), wanted, resolved);
    assertEquals(List.copyOf(wanted.keySet()), resolved);

    CreateServiceAccountRequest.Builder request = CreateServiceAccountRequest.newBuilder();
    request.getSpecBuilder().getNamespaceScopedAccessBuilder().setNamespace("ns-a");
    RequestFacts facts = new RequestFacts();
    RequestReader.read(plan, request.build().toByteArray(), facts);
    assertTrue(facts.present(Fact.SCOPED_ACCESS));
    assertFalse(facts.present(Fact.ACCOUNT_ACCESS));
    assertEquals("ns-a", facts.value(Fact.SCOPED_NAMESPACE));
  }

  // ---- frozen plans ---------------------------------------------------------------------------

  @Test
  void everyCompiledPlanIsFrozen() {
    PlanCompiler compiler = new PlanCompiler();
    Descriptor start = StartWorkflowExecutionRequest.getDescriptor();
    List<RequestPlan> plans = List.of(
        compiler.empty(start),
        compiler.namespaceScoped(start),
        compiler.paths(ROOT, Map.of("item.name", Fact.OWNER_ID), new ArrayList<>()));
    for (RequestPlan plan : plans) {
      assertThrows(IllegalStateException.class, () -> plan.root.addFact(99, Fact.TAGS),
          plan.root.typeName);
      for (int field : plan.root.childFields()) {
        MessagePlan child = plan.root.child(field);
        assertThrows(IllegalStateException.class, () -> child.removeChild(1), child.typeName);
      }
    }
  }
}
