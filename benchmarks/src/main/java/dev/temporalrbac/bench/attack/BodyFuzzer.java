package dev.temporalrbac.bench.attack;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Request bodies built to make a reader that is not protobuf-java see other namespaces than
 * protobuf-java does: fields written from the Temporal descriptors along every path that leads
 * to a namespace target ({@link Targets}), with repeated occurrences (last one wins, messages
 * merge), oneof members switched away and back, empty members, the allowed and a foreign
 * namespace mixed; then, for a share of them, byte-level damage (a flipped byte, a truncation, a
 * duplicated or moved slice). Deterministic for a seed. Not thread-safe: one per thread.
 */
final class BodyFuzzer {
  /** A body and the method it is sent to. */
  record Body(String method, byte[] bytes) {}

  private static final String[] NESTED = {
      "temporal.api.workflowservice.v1.WorkflowService/ExecuteMultiOperation",
      "temporal.api.workflowservice.v1.WorkflowService/RespondWorkflowTaskCompleted"};
  private static final int MAX_DEPTH = 6;

  private final SplittableRandom random;
  private final String allowed;
  private final String foreign;
  private final List<String> methods = new ArrayList<>();
  private final Map<Descriptor, List<FieldDescriptor>> paths = new HashMap<>();

  BodyFuzzer(long seed, String allowed, String foreign) {
    this.random = new SplittableRandom(seed);
    this.allowed = allowed;
    this.foreign = foreign;
    Targets.PROTOTYPES.forEach((method, prototype) -> {
      if (!fields(prototype.getDescriptorForType()).isEmpty()) {
        methods.add(method);
      }
    });
    methods.sort(null);
  }

  int methodCount() {
    return methods.size();
  }

  Body next() {
    String method = random.nextInt(2) == 0 ? NESTED[random.nextInt(NESTED.length)]
        : methods.get(random.nextInt(methods.size()));
    Descriptor type = Targets.PROTOTYPES.get(method).getDescriptorForType();
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    FieldDescriptor top = type.findFieldByName("namespace");
    if (top != null && random.nextInt(4) != 0) {
      writeString(out, top.getNumber(), allowed);
    }
    message(out, type, 0);
    byte[] body = out.toByteArray();
    return new Body(method, random.nextInt(10) < 3 ? damage(body) : body);
  }

  /** Fields of {@code type} on a path to a namespace, and their oneof siblings. */
  private List<FieldDescriptor> fields(Descriptor type) {
    List<FieldDescriptor> known = paths.get(type);
    if (known != null) {
      return known;
    }
    paths.put(type, List.of()); // cycle guard while computing
    List<FieldDescriptor> found = new ArrayList<>();
    for (FieldDescriptor f : type.getFields()) {
      if (Targets.isNamespace(f) || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !f.isMapField() && !Targets.skipped(f.getMessageType())
          && !fields(f.getMessageType()).isEmpty())) {
        found.add(f);
      }
    }
    List<FieldDescriptor> withSiblings = new ArrayList<>(found);
    for (FieldDescriptor f : found) {
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof != null) {
        for (FieldDescriptor sibling : oneof.getFields()) {
          if (!withSiblings.contains(sibling)
              && sibling.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            withSiblings.add(sibling);
          }
        }
      }
    }
    paths.put(type, List.copyOf(withSiblings));
    return paths.get(type);
  }

  private void message(ByteArrayOutputStream out, Descriptor type, int depth) {
    List<FieldDescriptor> candidates = fields(type);
    if (candidates.isEmpty() || depth > MAX_DEPTH) {
      return;
    }
    int occurrences = 1 + random.nextInt(4);
    for (int i = 0; i < occurrences; i++) {
      FieldDescriptor f = candidates.get(random.nextInt(candidates.size()));
      if (Targets.isNamespace(f)) {
        int pick = random.nextInt(20);
        writeString(out, f.getNumber(), pick < 10 ? allowed : pick < 17 ? foreign : "");
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream(64);
        if (random.nextInt(3) != 0) {
          message(inner, f.getMessageType(), depth + 1);
        }
        writeBytes(out, f.getNumber(), inner.toByteArray());
      }
    }
  }

  private byte[] damage(byte[] body) {
    if (body.length < 2) {
      return body;
    }
    byte[] copy = body.clone();
    switch (random.nextInt(4)) {
      case 0 -> copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> {
        return java.util.Arrays.copyOf(body, random.nextInt(body.length));
      }
      case 2 -> { // a slice repeated at the end
        int from = random.nextInt(body.length);
        int to = from + random.nextInt(body.length - from) + 1;
        byte[] out = java.util.Arrays.copyOf(body, body.length + to - from);
        System.arraycopy(body, from, out, body.length, to - from);
        return out;
      }
      default -> { // the first half moved after the second
        int cut = random.nextInt(body.length);
        System.arraycopy(body, cut, copy, 0, body.length - cut);
        System.arraycopy(body, 0, copy, body.length - cut, cut);
      }
    }
    return copy;
  }

  static void writeString(ByteArrayOutputStream out, int field, String value) {
    writeBytes(out, field, value.getBytes(StandardCharsets.UTF_8));
  }

  static void writeBytes(ByteArrayOutputStream out, int field, byte[] value) {
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(out, 32);
      coded.writeByteArray(field, value);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
