package dev.temporalrbac.bench.attack;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Temporal request names a namespace, as protobuf-java's generated classes read it: every
 * string field called {@code namespace}, at any depth, except inside failures and links (they
 * describe other executions and are not targets). The fuzzer writes only into these places and
 * the recording upstream reads only these places, so the two agree on what a target is.
 */
final class Targets {
  /** Generated request prototypes by full method name (WorkflowService, OperatorService). */
  static final Map<String, Message> PROTOTYPES = prototypes();

  private Targets() {}

  private static Map<String, Message> prototypes() {
    Map<String, Message> byMethod = new HashMap<>();
    for (ServiceDescriptor service : List.of(WorkflowServiceGrpc.getServiceDescriptor(),
        OperatorServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p) {
          byMethod.put(method.getFullMethodName(), (Message) p.getMessagePrototype());
        }
      }
    }
    return Map.copyOf(byMethod);
  }

  /** Message types never descended into: failures and links name other executions. */
  static boolean skipped(Descriptor type) {
    String name = type.getFullName();
    return name.startsWith("temporal.api.failure.") || name.equals("temporal.api.common.v1.Link")
        || name.startsWith("google.protobuf.");
  }

  static boolean isNamespace(FieldDescriptor field) {
    return field.getName().equals("namespace")
        && field.getType() == FieldDescriptor.Type.STRING && !field.isRepeated();
  }

  /** Adds every namespace target of {@code message} (parsed by protobuf-java) to {@code out}. */
  static void collect(Message message, List<String> out, int depth) {
    if (depth > 40) {
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (isNamespace(field)) {
        out.add((String) e.getValue());
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !skipped(field.getMessageType()) && !field.isMapField()) {
        if (field.isRepeated()) {
          for (Object item : (List<?>) e.getValue()) {
            collect((Message) item, out, depth + 1);
          }
        } else {
          collect((Message) e.getValue(), out, depth + 1);
        }
      }
    }
  }
}
