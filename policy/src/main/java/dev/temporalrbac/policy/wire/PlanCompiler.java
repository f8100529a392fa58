package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns request descriptors into {@link MessagePlan}s. Field paths are found by name in the
 * descriptors of the pinned Temporal artifact, never written down by number.
 *
 * <p>Namespace targets: every {@code string namespace} field at any depth, except inside message
 * types that only <em>describe</em> another execution ({@link #DESCRIPTIVE_TYPES}: a failure's
 * cause chain, a link to a caller); the server does not act on those namespaces.
 */
public final class PlanCompiler {
  /** Message types whose namespace fields are references, not targets. */
  static final Set<String> DESCRIPTIVE_TYPES =
      Set.of("temporal.api.failure.v1.Failure", "temporal.api.common.v1.Link");

  static final String NAMESPACE_FIELD = "namespace";
  static final String NAMESPACE_ID_FIELD = "namespace_id";
  /** Requests whose {@code id} field names a namespace by id. */
  static final Set<String> ID_FIELD_REQUESTS =
      Set.of("temporal.api.workflowservice.v1.DescribeNamespaceRequest");

  private final Map<Descriptor, MessagePlan> walkPlans = new IdentityHashMap<>();

  /** A plan for a namespace-scoped request: every namespace target, plus namespace ids on top. */
  public RequestPlan namespaceScoped(Descriptor request) {
    MessagePlan root = new MessagePlan(request.getFullName());
    addNamespaceWalk(root, request);
    for (FieldDescriptor field : request.getFields()) {
      if (isString(field) && !field.isRepeated() && (field.getName().equals(NAMESPACE_ID_FIELD)
          || (field.getName().equals("id") && ID_FIELD_REQUESTS.contains(request.getFullName())))) {
        root.addFact(field.getNumber(), Fact.NAMESPACE_ID);
      }
    }
    prune(root);
    return new RequestPlan(root, request);
  }

  /**
   * A plan that reads the given facts at fixed paths (dotted field names from the request root).
   * Paths that do not exist in {@code request} are skipped; the caller checks that what it needs
   * was found via the returned map.
   */
  public RequestPlan paths(Descriptor request, Map<String, Fact> pathFacts, List<String> resolved) {
    MessagePlan root = new MessagePlan(request.getFullName());
    Map<String, MessagePlan> nodes = new HashMap<>();
    for (Map.Entry<String, Fact> entry : pathFacts.entrySet()) {
      String[] names = entry.getKey().split("\\.");
      MessagePlan node = root;
      Descriptor type = request;
      StringBuilder prefix = new StringBuilder();
      boolean found = true;
      for (int i = 0; i < names.length && found; i++) {
        FieldDescriptor field = type.findFieldByName(names[i]);
        if (field == null) {
          found = false;
          break;
        }
        prefix.append(i == 0 ? "" : ".").append(names[i]);
        if (i == names.length - 1) {
          Fact fact = entry.getValue();
          boolean fits = fact.kind() == Fact.Kind.PRESENCE
              ? field.getType() == FieldDescriptor.Type.MESSAGE || field.isRepeated()
              : isString(field) && !field.isRepeated();
          if (!fits) {
            throw new IllegalStateException(request.getFullName() + "." + entry.getKey()
                + " does not fit fact " + fact);
          }
          node.addFact(field.getNumber(), fact);
        } else {
          if (field.getType() != FieldDescriptor.Type.MESSAGE || field.isRepeated()) {
            found = false;
            break;
          }
          MessagePlan next = nodes.get(prefix.toString());
          if (next == null) {
            next = new MessagePlan(field.getMessageType().getFullName());
            nodes.put(prefix.toString(), next);
            node.addChild(field.getNumber(), next);
          }
          node = next;
          type = field.getMessageType();
        }
      }
      if (found) {
        resolved.add(entry.getKey());
      }
    }
    root.freeze();
    return new RequestPlan(root, request);
  }

  /** A plan that reads nothing: the method's decision does not depend on its body. */
  public RequestPlan empty(Descriptor request) {
    MessagePlan root = new MessagePlan(request.getFullName());
    root.freeze();
    return new RequestPlan(root, request);
  }

  private void addNamespaceWalk(MessagePlan node, Descriptor type) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getName().equals(NAMESPACE_FIELD) && isString(field) && !field.isRepeated()) {
        node.addFact(field.getNumber(), Fact.NAMESPACE);
      } else if (field.getType() == FieldDescriptor.Type.MESSAGE
          && !DESCRIPTIVE_TYPES.contains(field.getMessageType().getFullName())) {
        node.addChild(field.getNumber(), walkPlan(field.getMessageType()));
      }
    }
  }

  /** The shared walk plan of a type; cycles resolve to the same node. */
  private MessagePlan walkPlan(Descriptor type) {
    MessagePlan plan = walkPlans.get(type);
    if (plan == null) {
      plan = new MessagePlan(type.getFullName());
      walkPlans.put(type, plan);
      addNamespaceWalk(plan, type);
    }
    return plan;
  }

  /**
   * Drops children that can never lead to a fact (a fixed point, so recursive types work), then
   * freezes the reachable plans. Oneofs need no marking: every occurrence is read, so which member
   * a parser keeps does not matter.
   */
  private void prune(MessagePlan root) {
    Set<MessagePlan> all = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(root, all);
    Map<MessagePlan, Boolean> useful = new IdentityHashMap<>();
    for (MessagePlan plan : all) {
      useful.put(plan, plan.hasFacts());
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MessagePlan plan : all) {
        if (useful.get(plan)) {
          continue;
        }
        for (int field : plan.childFields()) {
          if (useful.get(plan.child(field))) {
            useful.put(plan, true);
            changed = true;
            break;
          }
        }
      }
    }
    for (MessagePlan plan : all) {
      if (isFrozenShared(plan)) {
        continue;
      }
      for (int field : plan.childFields()) {
        if (!useful.get(plan.child(field))) {
          plan.removeChild(field);
        }
      }
    }
    root.freeze();
  }

  private final Map<MessagePlan, Boolean> prepared = new IdentityHashMap<>();

  /** Shared walk plans are pruned once, by the first method that reaches them. */
  private boolean isFrozenShared(MessagePlan plan) {
    return prepared.put(plan, Boolean.TRUE) != null;
  }

  private static void collect(MessagePlan plan, Set<MessagePlan> all) {
    if (!all.add(plan)) {
      return;
    }
    for (int field : plan.childFields()) {
      collect(plan.child(field), all);
    }
  }

  private static boolean isString(FieldDescriptor field) {
    return field.getType() == FieldDescriptor.Type.STRING;
  }
}
