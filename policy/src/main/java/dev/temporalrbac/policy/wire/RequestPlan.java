package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The compiled reading plan of one method's request type. Immutable and shareable. */
public final class RequestPlan {
  final MessagePlan root;
  private final Descriptor requestType;
  private final List<String> paths;
  private final Set<Fact> facts = EnumSet.noneOf(Fact.class);

  RequestPlan(MessagePlan root, Descriptor requestType) {
    this.root = root;
    this.requestType = requestType;
    List<String> found = new ArrayList<>();
    describe(root, requestType, "", found, new IdentityHashMap<>());
    this.paths = Collections.unmodifiableList(found);
    for (String path : found) {
      int eq = path.lastIndexOf('=');
      if (eq > 0) {
        facts.add(Fact.valueOf(path.substring(eq + 1)));
      }
    }
  }

  /** True when the plan reads {@code fact} from some field (known once, at start-up). */
  public boolean reads(Fact fact) {
    return facts.contains(fact);
  }

  public Descriptor requestType() {
    return requestType;
  }

  /** True when the decision never needs the body: the proxy may decide before it arrives. */
  public boolean readsNothing() {
    return paths.isEmpty();
  }

  /**
   * Every field path the plan reads, as {@code a.b[].c=FACT}; a path through a recursive type is
   * shown once, ending in {@code ...} where it loops.
   */
  public List<String> paths() {
    return paths;
  }

  private static void describe(MessagePlan plan, Descriptor type, String prefix, List<String> out,
      Map<MessagePlan, Boolean> onPath) {
    if (onPath.put(plan, Boolean.TRUE) != null) {
      out.add(prefix + "...");
      return;
    }
    for (FieldDescriptor field : type.getFields()) {
      int number = field.getNumber();
      String name = prefix + field.getName() + (field.isRepeated() ? "[]" : "");
      Fact fact = plan.fact(number);
      if (fact != null) {
        out.add(name + "=" + fact);
      }
      MessagePlan child = plan.child(number);
      if (child != null) {
        describe(child, field.getMessageType(), name + ".", out, onPath);
      }
    }
    onPath.remove(plan);
  }
}
