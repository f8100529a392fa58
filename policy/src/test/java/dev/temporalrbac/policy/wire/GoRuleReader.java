package dev.temporalrbac.policy.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference reading two for the differential tests: a small descriptor-driven parser with the
 * rules of Go's (and C++'s) protobuf runtime, where protobuf-java's generated code differs. A
 * singular message field in a oneof that arrives while a <em>different</em> member is set starts a
 * fresh instance (protobuf-java revives the member's earlier content); the same member arriving
 * again merges. Otherwise proto3 as usual: the last scalar wins, singular messages merge, each
 * repeated element is its own instance, a field with a wire type other than its declared one is
 * unknown, strings must be UTF-8, nesting is limited to 100 messages.
 *
 * <p>Only strings and messages are kept (that is all a namespace reading needs); every other field
 * is skipped after its framing is checked. Independent of the scanner's plans by design.
 */
final class GoRuleReader {
  private static final int DEPTH_LIMIT = 100;

  private GoRuleReader() {}

  /** One message instance: field number to String, Node or List of either; each oneof's member. */
  private static final class Node {
    final Descriptor type;
    final Map<Integer, Object> fields = new HashMap<>();
    final Map<OneofDescriptor, Integer> oneofCase = new HashMap<>();

    Node(Descriptor type) {
      this.type = type;
    }
  }

  /** The non-empty {@code namespace} targets Go reads from {@code bytes}, sorted (may repeat). */
  static List<String> namespaces(Descriptor type, byte[] bytes)
      throws InvalidProtocolBufferException {
    Node root = new Node(type);
    try {
      parse(CodedInputStream.newInstance(bytes), root, 0);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    List<String> out = new ArrayList<>();
    collect(root, out);
    Collections.sort(out);
    return out;
  }

  private static void parse(CodedInputStream in, Node node, int depth) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      FieldDescriptor field = node.type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      boolean kept = field != null
          && (field.getJavaType() == JavaType.MESSAGE || field.getJavaType() == JavaType.STRING)
          && field.getLiteType().getWireType() == WireFormat.getTagWireType(tag);
      if (!kept) {
        if (!in.skipField(tag)) {
          throw new InvalidProtocolBufferException("end-group tag outside a group");
        }
        continue;
      }
      int number = field.getNumber();
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null) {
        Integer current = node.oneofCase.put(oneof, number);
        if (current != null && current != number) {
          node.fields.remove(current); // Go: a different member was set; start afresh
        }
      }
      if (field.getJavaType() == JavaType.STRING) {
        String value = in.readStringRequireUtf8();
        if (field.isRepeated()) {
          list(node, number).add(value);
        } else {
          node.fields.put(number, value);
        }
        continue;
      }
      if (depth + 1 > DEPTH_LIMIT) {
        throw new InvalidProtocolBufferException("nesting exceeds " + DEPTH_LIMIT);
      }
      Node child;
      if (field.isRepeated()) {
        child = new Node(field.getMessageType());
        list(node, number).add(child);
      } else {
        child = (Node) node.fields.computeIfAbsent(number, n -> new Node(field.getMessageType()));
      }
      int length = in.readRawVarint32();
      int limit = in.pushLimit(length);
      parse(in, child, depth + 1);
      in.popLimit(limit);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Node node, int number) {
    return (List<Object>) node.fields.computeIfAbsent(number, n -> new ArrayList<>());
  }

  /** As {@link WireBytes#serverNamespaces}: not inside Failure or Link. */
  private static void collect(Node node, List<String> out) {
    String type = node.type.getFullName();
    if (type.equals("temporal.api.failure.v1.Failure")
        || type.equals("temporal.api.common.v1.Link")) {
      return;
    }
    for (FieldDescriptor field : node.type.getFields()) {
      Object value = node.fields.get(field.getNumber());
      if (value == null) {
        continue;
      }
      if (field.getName().equals("namespace") && field.getJavaType() == JavaType.STRING
          && !field.isRepeated()) {
        if (!((String) value).isEmpty()) {
          out.add((String) value);
        }
      } else if (field.getJavaType() == JavaType.MESSAGE) {
        if (field.isRepeated()) {
          for (Object element : (List<?>) value) {
            collect((Node) element, out);
          }
        } else {
          collect((Node) value, out);
        }
      }
    }
  }
}
