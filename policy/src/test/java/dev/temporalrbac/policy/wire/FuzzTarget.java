package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One namespace-scoped request type of the catalog as the fuzzer sees it: its plan, its generated
 * parser (reference reading one), and seed bodies built with {@link DynamicMessage} that set a
 * namespace at every path the plan reads (one seed per path, plus one with all of them).
 */
final class FuzzTarget {
  static final String[] NAMES = {"payments", "billing", "ns1", "ns2", "", "é-ns", "😀"};

  final Descriptor type;
  final RequestPlan plan;
  /** A method taking this request type, for decisions. */
  final String method;
  final Parser<? extends Message> generated;
  final List<byte[]> seeds = new ArrayList<>();

  private FuzzTarget(String method, RequestPlan plan, Random random) {
    this.method = method;
    this.plan = plan;
    this.type = plan.requestType();
    this.generated = generatedParser(type);
    List<String> paths = new ArrayList<>();
    for (String path : plan.paths()) {
      if (path.endsWith("=NAMESPACE")) {
        paths.add(path.substring(0, path.indexOf('=')));
      }
    }
    DynamicMessage.Builder all = DynamicMessage.newBuilder(type);
    for (String path : paths) {
      DynamicMessage.Builder one = DynamicMessage.newBuilder(type);
      set(one, path.split("\\."), 0, pick(random));
      seeds.add(one.build().toByteArray());
      set(all, path.split("\\."), 0, pick(random));
    }
    seeds.add(all.build().toByteArray());
  }

  /** A target per distinct request type of the catalog's namespace-scoped methods. */
  static List<FuzzTarget> all(Random random) {
    Map<String, FuzzTarget> byType = new LinkedHashMap<>();
    for (CatalogEntry entry : MethodCatalog.load().entries()) {
      if (entry.rule().scope() == Scope.NAMESPACE && !entry.plan().readsNothing()) {
        byType.computeIfAbsent(entry.plan().requestType().getFullName(),
            name -> new FuzzTarget(entry.fullMethodName(), entry.plan(), random));
      }
    }
    return new ArrayList<>(byType.values());
  }

  static String pick(Random random) {
    return NAMES[random.nextInt(NAMES.length)];
  }

  /** Sets {@code names[i..]} (a plan path; {@code []} marks repeated fields) to {@code value}. */
  private static void set(Message.Builder builder, String[] names, int i, String value) {
    FieldDescriptor field =
        builder.getDescriptorForType().findFieldByName(names[i].replace("[]", ""));
    if (i == names.length - 1) {
      builder.setField(field, value);
      return;
    }
    Message.Builder child;
    if (field.isRepeated()) {
      child = DynamicMessage.newBuilder(field.getMessageType());
      set(child, names, i + 1, value);
      builder.addRepeatedField(field, child.build());
      return;
    }
    child = builder.hasField(field) ? ((Message) builder.getField(field)).toBuilder()
        : DynamicMessage.newBuilder(field.getMessageType());
    set(child, names, i + 1, value);
    builder.setField(field, child.build());
  }

  /** The generated class's parser: protobuf-java's own reading, with its oneof behaviour. */
  @SuppressWarnings("unchecked")
  private static Parser<? extends Message> generatedParser(Descriptor type) {
    String name = type.getFile().getOptions().getJavaPackage() + "." + type.getName();
    try {
      return (Parser<? extends Message>) Class.forName(name).getMethod("parser").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated class " + name + " for " + type, e);
    }
  }

  /** Namespaces protobuf-java's generated parser reads, or null when it rejects the body. */
  List<String> javaReading(byte[] body) {
    try {
      return WireBytes.serverNamespaces(generated.parseFrom(body));
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Namespaces a Go-rule parser reads, or null when it rejects the body. */
  List<String> goReading(byte[] body) {
    try {
      return GoRuleReader.namespaces(type, body);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
