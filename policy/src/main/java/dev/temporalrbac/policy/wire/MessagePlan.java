package dev.temporalrbac.policy.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What to read from one message type: which fields are facts, which fields lead to messages that
 * hold facts, and which fields share a oneof with either (setting one clears the others).
 * Everything else is skipped without being decoded. Lookups are array-indexed by field number.
 *
 * <p>Built by {@link PlanCompiler}; immutable once {@link #freeze() frozen}. Plans may form
 * cycles (recursive message types) and are shared between methods.
 */
final class MessagePlan {
  private static final int NONE = -1;

  final String typeName;
  private Fact[] factByField = new Fact[0];
  private MessagePlan[] childByField = new MessagePlan[0];
  private boolean[] repeatedByField = new boolean[0];
  private int[] oneofByField = new int[0];
  /** Per oneof member: the wire type its declared type uses (a mismatch is an unknown field). */
  private int[] oneofWireTypeByField = new int[0];
  /** Fields that own a slot, in field-number order. */
  private int[] slottedFields = new int[0];
  /** Per field: index of its last-wins slot (string facts and singular children), else NONE. */
  private int[] slotByField = new int[0];
  private int slotCount;
  private int oneofCount;
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

  void addChild(int field, MessagePlan child, boolean repeated) {
    ensure(field);
    boolean stringFact = factByField[field] != null && factByField[field].kind() == Fact.Kind.STRING;
    if (stringFact || (childByField[field] != null && childByField[field] != child)) {
      throw new IllegalStateException(typeName + " field " + field + " is planned twice");
    }
    childByField[field] = child;
    repeatedByField[field] = repeated;
  }

  void removeChild(int field) {
    childByField[field] = null;
  }

  void setOneof(int field, int oneofIndex, int wireType) {
    ensure(field);
    oneofByField[field] = oneofIndex;
    oneofWireTypeByField[field] = wireType;
    oneofCount = Math.max(oneofCount, oneofIndex + 1);
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

  /** Assigns last-wins slots; no change is allowed afterwards. Idempotent. */
  void freeze() {
    if (frozen) {
      return;
    }
    frozen = true;
    slotByField = new int[factByField.length];
    Arrays.fill(slotByField, NONE);
    int slots = 0;
    int[] slotted = new int[factByField.length];
    for (int field = 0; field < factByField.length; field++) {
      boolean singularChild = childByField[field] != null && !repeatedByField[field];
      if (singularChild || isStringFact(field)) {
        slotted[slots] = field;
        slotByField[field] = slots++;
      }
    }
    slotCount = slots;
    slottedFields = Arrays.copyOf(slotted, slots);
    for (MessagePlan child : childByField) {
      if (child != null) {
        child.freeze();
      }
    }
  }

  /** True when the field is a string fact (read as a last-wins value). */
  boolean isStringFact(int field) {
    return field < factByField.length && factByField[field] != null
        && factByField[field].kind() == Fact.Kind.STRING;
  }

  Fact fact(int field) {
    return field < factByField.length ? factByField[field] : null;
  }

  MessagePlan child(int field) {
    return field < childByField.length ? childByField[field] : null;
  }

  boolean repeated(int field) {
    return repeatedByField[field];
  }

  int oneof(int field) {
    return field < oneofByField.length ? oneofByField[field] : NONE;
  }

  int slot(int field) {
    return field < slotByField.length ? slotByField[field] : NONE;
  }

  int slotCount() {
    return slotCount;
  }

  int oneofCount() {
    return oneofCount;
  }

  int oneofWireType(int field) {
    return oneofWireTypeByField[field];
  }

  /** The field that owns slot {@code slot}. */
  int slottedField(int slot) {
    return slottedFields[slot];
  }

  private void ensure(int field) {
    if (frozen) {
      throw new IllegalStateException(typeName + " is frozen");
    }
    if (field >= factByField.length) {
      int size = field + 1;
      int old = factByField.length;
      factByField = Arrays.copyOf(factByField, size);
      childByField = Arrays.copyOf(childByField, size);
      repeatedByField = Arrays.copyOf(repeatedByField, size);
      oneofByField = Arrays.copyOf(oneofByField, size);
      oneofWireTypeByField = Arrays.copyOf(oneofWireTypeByField, size);
      Arrays.fill(oneofByField, old, size, NONE);
    }
  }
}
