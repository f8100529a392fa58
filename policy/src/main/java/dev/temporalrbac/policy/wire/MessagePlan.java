package dev.temporalrbac.policy.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What to read from one message type: which fields are facts and which fields lead to messages
 * that hold facts. Everything else is skipped without being decoded. Lookups are array-indexed
 * by field number.
 *
 * <p>There is no per-field state to keep while scanning (no last-wins slots, no oneof tracking):
 * the scanner reports every occurrence, so a plan is only a map from field number to what the
 * field is. Built by {@link PlanCompiler}; immutable once {@link #freeze() frozen}. Plans may form
 * cycles (recursive message types) and are shared between methods.
 */
final class MessagePlan {
  final String typeName;
  private Fact[] factByField = new Fact[0];
  private MessagePlan[] childByField = new MessagePlan[0];
  private boolean frozen;

  MessagePlan(String typeName) {
    this.typeName = typeName;
  }

  /** Plans a fact; a presence fact may share its field with a child plan. */
  void addFact(int field, Fact fact) {
    ensure(field);
    boolean sharesWithChild = childByField[field] != null && fact.kind() == Fact.Kind.PRESENCE;
    if (factByField[field] != null || (childByField[field] != null && !sharesWithChild)) {
      throw new IllegalStateException(typeName + " field " + field + " is planned twice");
    }
    factByField[field] = fact;
  }

  /** Plans a message field (singular or repeated: each occurrence is scanned on its own). */
  void addChild(int field, MessagePlan child) {
    ensure(field);
    boolean stringFact = factByField[field] != null && factByField[field].kind() == Fact.Kind.STRING;
    if (stringFact || (childByField[field] != null && childByField[field] != child)) {
      throw new IllegalStateException(typeName + " field " + field + " is planned twice");
    }
    childByField[field] = child;
  }

  void removeChild(int field) {
    ensure(field);
    childByField[field] = null;
  }

  /** True when this plan reads anything at all. */
  boolean hasFacts() {
    for (Fact fact : factByField) {
      if (fact != null) {
        return true;
      }
    }
    return false;
  }

  List<Integer> childFields() {
    List<Integer> fields = new ArrayList<>();
    for (int i = 0; i < childByField.length; i++) {
      if (childByField[i] != null) {
        fields.add(i);
      }
    }
    return fields;
  }

  /** Forbids further change, here and in every reachable plan. Idempotent. */
  void freeze() {
    if (frozen) {
      return;
    }
    frozen = true;
    for (MessagePlan child : childByField) {
      if (child != null) {
        child.freeze();
      }
    }
  }

  Fact fact(int field) {
    return field < factByField.length ? factByField[field] : null;
  }

  MessagePlan child(int field) {
    return field < childByField.length ? childByField[field] : null;
  }

  private void ensure(int field) {
    if (frozen) {
      throw new IllegalStateException(typeName + " is frozen");
    }
    if (field >= factByField.length) {
      factByField = Arrays.copyOf(factByField, field + 1);
      childByField = Arrays.copyOf(childByField, field + 1);
    }
  }
}
