package dev.temporalrbac.policy.wire;

import java.util.Arrays;

/**
 * Reads facts out of a serialized request without parsing it into objects, with the semantics a
 * protobuf parser gives the same bytes:
 *
 * <ul>
 *   <li>a non-repeated field that occurs more than once: the last occurrence wins;
 *   <li>a non-repeated message field that occurs more than once: the occurrences merge (as if
 *       their bytes were concatenated), so each is read as part of one instance;
 *   <li>each element of a repeated message field is its own instance;
 *   <li>a oneof member clears the members set before it, including members this plan ignores;
 *   <li>a field whose wire type does not match its declaration is an unknown field.
 * </ul>
 *
 * <p>State lives in an int arena reused from call to call, so a scan allocates nothing once the
 * arena has grown to the deepest request seen. Not thread-safe: use one instance per thread.
 */
final class WireScanner {
  /** The nesting limit of protobuf parsers; deeper input is rejected by the server too. */
  static final int MAX_DEPTH = 100;

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_START_GROUP = 3;
  private static final int WIRE_END_GROUP = 4;
  private static final int WIRE_FIXED32 = 5;
  private static final int UNSET = -1;

  private int[] arena = new int[256];
  private int top;
  private byte[] buffer;
  private FactSink sink;
  /** Position after the last varint read (varints return their value). */
  private int cursor;

  /** Scans {@code buffer[offset, offset+length)} as a message of {@code plan}'s type. */
  void scan(byte[] buffer, int offset, int length, MessagePlan plan, FactSink sink)
      throws MalformedRequestException {
    this.buffer = buffer;
    this.sink = sink;
    top = 0;
    try {
      int range = newRange(offset, offset + length);
      scanInstance(plan, range, 0);
    } finally {
      this.buffer = null;
      this.sink = null;
    }
  }

  /**
   * Scans one message instance made of the linked ranges starting at {@code firstRange}. Frame
   * layout: two ints per slot (string: start,end; singular child: first,last range), then one int
   * per oneof (the member field seen last).
   */
  private void scanInstance(MessagePlan plan, int firstRange, int depth)
      throws MalformedRequestException {
    if (depth > MAX_DEPTH) {
      throw new MalformedRequestException("message nesting exceeds " + MAX_DEPTH + " levels");
    }
    int mark = top;
    int slots = plan.slotCount();
    int oneofBase = slots * 2;
    int frame = alloc(oneofBase + plan.oneofCount());
    Arrays.fill(arena, frame, frame + oneofBase, UNSET);
    Arrays.fill(arena, frame + oneofBase, frame + oneofBase + plan.oneofCount(), 0);

    for (int range = firstRange; range != UNSET; range = arena[range + 2]) {
      int pos = arena[range];
      int end = arena[range + 1];
      while (pos < end) {
        long tag = readVarint(pos, end);
        pos = cursor;
        int field = (int) (tag >>> 3);
        int wireType = (int) (tag & 7);
        if (field <= 0 || tag >>> 32 != 0) {
          throw new MalformedRequestException("invalid field number in " + plan.typeName);
        }
        int oneof = plan.oneof(field);
        if (oneof >= 0 && plan.oneofWireType(field) == wireType) {
          int current = arena[frame + oneofBase + oneof];
          if (current != field) {
            if (current != 0) {
              clear(plan, frame, current);
            }
            arena[frame + oneofBase + oneof] = field;
          }
        }
        Fact fact = plan.fact(field);
        MessagePlan child = plan.child(field);
        if ((fact == null && child == null) || wireType != WIRE_LEN) {
          pos = skip(field, wireType, pos, end, plan, depth);
          continue;
        }
        int length = readLength(pos, end, plan);
        int start = cursor;
        pos = start + length;
        if (fact != null && fact.kind() == Fact.Kind.PRESENCE) {
          sink.markPresent(fact);
        }
        if (child == null) {
          if (fact.kind() == Fact.Kind.STRING) {
            int at = frame + plan.slot(field) * 2;
            arena[at] = start;
            arena[at + 1] = pos;
          }
        } else if (plan.repeated(field)) {
          int childMark = top;
          scanInstance(child, newRange(start, pos), depth + 1);
          top = childMark;
        } else {
          int at = frame + plan.slot(field) * 2;
          int added = newRange(start, pos);
          if (arena[at] == UNSET) {
            arena[at] = added;
          } else {
            arena[arena[at + 1] + 2] = added;
          }
          arena[at + 1] = added;
        }
      }
    }

    for (int slot = 0; slot < slots; slot++) {
      int at = frame + slot * 2;
      if (arena[at] == UNSET) {
        continue;
      }
      int field = plan.slottedField(slot);
      if (plan.isStringFact(field)) {
        sink.acceptString(plan.fact(field), buffer, arena[at], arena[at + 1]);
      } else {
        scanInstance(plan.child(field), arena[at], depth + 1);
      }
    }
    top = mark;
  }

  private void clear(MessagePlan plan, int frame, int field) {
    int slot = plan.slot(field);
    if (slot >= 0) {
      arena[frame + slot * 2] = UNSET;
      arena[frame + slot * 2 + 1] = UNSET;
    }
  }

  private int newRange(int start, int end) {
    int at = alloc(3);
    arena[at] = start;
    arena[at + 1] = end;
    arena[at + 2] = UNSET;
    return at;
  }

  private int alloc(int size) {
    int at = top;
    top += size;
    if (top > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(top, arena.length * 2));
    }
    return at;
  }

  /** Skips one field's value; {@code depth} is the nesting of the message that holds it. */
  private int skip(int field, int wireType, int pos, int end, MessagePlan plan, int depth)
      throws MalformedRequestException {
    switch (wireType) {
      case WIRE_VARINT:
        readVarint(pos, end);
        return cursor;
      case WIRE_FIXED64:
        return advance(pos, 8, end, plan);
      case WIRE_FIXED32:
        return advance(pos, 4, end, plan);
      case WIRE_LEN:
        int length = readLength(pos, end, plan);
        return cursor + length;
      case WIRE_START_GROUP:
        return skipGroup(field, pos, end, plan, depth + 1);
      default:
        throw new MalformedRequestException(
            "unexpected wire type " + wireType + " for field " + field + " of " + plan.typeName);
    }
  }

  private int skipGroup(int groupField, int pos, int end, MessagePlan plan, int depth)
      throws MalformedRequestException {
    if (depth > MAX_DEPTH) {
      throw new MalformedRequestException("group nesting exceeds " + MAX_DEPTH + " levels");
    }
    while (pos < end) {
      long tag = readVarint(pos, end);
      pos = cursor;
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (wireType == WIRE_END_GROUP) {
        if (field != groupField) {
          break;
        }
        return pos;
      }
      pos = skip(field, wireType, pos, end, plan, depth);
    }
    throw new MalformedRequestException("unterminated group in " + plan.typeName);
  }

  private int advance(int pos, int count, int end, MessagePlan plan)
      throws MalformedRequestException {
    if (end - pos < count) {
      throw new MalformedRequestException("truncated field in " + plan.typeName);
    }
    return pos + count;
  }

  private int readLength(int pos, int end, MessagePlan plan) throws MalformedRequestException {
    long length = readVarint(pos, end);
    if (length < 0 || length > end - cursor) {
      throw new MalformedRequestException("length-delimited field overruns " + plan.typeName);
    }
    return (int) length;
  }

  private long readVarint(int pos, int end) throws MalformedRequestException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new MalformedRequestException("truncated varint");
      }
      byte b = buffer[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        cursor = pos;
        return value;
      }
    }
    throw new MalformedRequestException("varint longer than 10 bytes");
  }
}
