package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test helpers: hand-built protobuf bytes, and an oracle of what the server reads from them. */
final class WireBytes {
  private WireBytes() {}

  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  /** Raw protobuf bytes written with CodedOutputStream. */
  static byte[] raw(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] str(int field, String value) {
    return raw(o -> o.writeString(field, value));
  }

  static byte[] len(int field, byte[] value) {
    return raw(o -> o.writeByteArray(field, value));
  }

  static byte[] varint(int field, long value) {
    return raw(o -> o.writeUInt64(field, value));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static RequestFacts scan(Descriptor type, byte[] bytes) throws MalformedRequestException {
    return scan(new PlanCompiler().namespaceScoped(type), bytes);
  }

  static RequestFacts scan(RequestPlan plan, byte[] bytes) throws MalformedRequestException {
    RequestFacts facts = new RequestFacts();
    RequestReader.read(plan, bytes, facts);
    return facts;
  }

  static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  /**
   * An oracle of "the namespaces the server acts on", independent of the plan compiler: every
   * non-empty {@code string namespace} of the parsed message at any depth, except under Failure
   * and Link. Sorted.
   */
  static List<String> serverNamespaces(Message message) {
    List<String> out = new ArrayList<>();
    collect(message, out);
    Collections.sort(out);
    return out;
  }

  private static void collect(Message message, List<String> out) {
    String type = message.getDescriptorForType().getFullName();
    if (type.equals("temporal.api.failure.v1.Failure")
        || type.equals("temporal.api.common.v1.Link")) {
      return;
    }
    message.getAllFields().forEach((field, value) -> {
      if (field.getName().equals("namespace") && field.getType() == FieldDescriptor.Type.STRING
          && !field.isRepeated()) {
        if (!((String) value).isEmpty()) {
          out.add((String) value);
        }
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (field.isRepeated()) {
          ((List<?>) value).forEach(v -> collect((Message) v, out));
        } else {
          collect((Message) value, out);
        }
      }
    });
  }

  /** The distinct values of {@code values}, sorted. */
  static List<String> distinct(List<String> values) {
    return new ArrayList<>(new java.util.TreeSet<>(values));
  }

  /**
   * Asserts that the given parse (normally the generated parser's), the reflective parser
   * ({@link DynamicMessage}) and the scanner all see exactly the namespaces {@code expected}.
   */
  static void assertAgree(Descriptor type, byte[] bytes, Message parsed, String... expected)
      throws MalformedRequestException, InvalidProtocolBufferException {
    List<String> want = distinct(List.of(expected));
    assertEquals(want, distinct(serverNamespaces(parsed)), "parser");
    assertEquals(want, distinct(serverNamespaces(DynamicMessage.parseFrom(type, bytes))),
        "DynamicMessage");
    assertEquals(want, sorted(scan(type, bytes).namespaces()), "scanner");
  }

  /**
   * Asserts that the scanner reports exactly {@code scanned} (every occurrence) and that this
   * covers what protobuf-java's generated parser ({@code parsed}), {@link DynamicMessage} and the
   * Go-rule reader read.
   */
  static void assertCovers(Descriptor type, byte[] bytes, Message parsed, String... scanned)
      throws MalformedRequestException, InvalidProtocolBufferException {
    List<String> got = sorted(scan(type, bytes).namespaces());
    assertEquals(distinct(List.of(scanned)), got, "scanner");
    assertTrue(got.containsAll(serverNamespaces(parsed)), "parser: " + serverNamespaces(parsed));
    List<String> dynamic = serverNamespaces(DynamicMessage.parseFrom(type, bytes));
    assertTrue(got.containsAll(dynamic), "DynamicMessage: " + dynamic);
    List<String> go = GoRuleReader.namespaces(type, bytes);
    assertTrue(got.containsAll(go), "Go rule: " + go);
  }

  /** {@code message Node { string namespace = 1; Node child = 2; }}: a recursive planned type. */
  static Descriptor recursiveNode() throws DescriptorValidationException {
    DescriptorProto node = DescriptorProto.newBuilder().setName("Node")
        .addField(FieldDescriptorProto.newBuilder().setName("namespace").setNumber(1)
            .setType(FieldDescriptorProto.Type.TYPE_STRING))
        .addField(FieldDescriptorProto.newBuilder().setName("child").setNumber(2)
            .setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(".test.Node"))
        .build();
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("test/node.proto")
        .setPackage("test").setSyntax("proto3").addMessageType(node).build();
    return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Node");
  }

  /**
   * A root Node with {@code levels} nested children, each naming namespace "n{depth}"; the
   * deepest one also holds {@code groups} nested unknown groups (field 99).
   */
  static byte[] nestedNodes(int levels, int groups) {
    byte[] bytes = concat(str(1, "n" + levels), groups(groups));
    for (int depth = levels - 1; depth >= 0; depth--) {
      bytes = concat(str(1, "n" + depth), len(2, bytes));
    }
    return bytes;
  }

  /** {@code levels} nested empty groups of unknown field 99. */
  static byte[] groups(int levels) {
    return raw(o -> {
      for (int i = 0; i < levels; i++) {
        o.writeTag(99, 3);
      }
      for (int i = 0; i < levels; i++) {
        o.writeTag(99, 4);
      }
    });
  }
}
