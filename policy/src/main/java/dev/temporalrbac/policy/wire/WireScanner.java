package dev.temporalrbac.policy.wire;

/**
 * Reads facts out of a serialized request without parsing it into objects. It reports <em>every
 * occurrence</em> of a planned field, in every occurrence of every message on a planned path,
 * rather than the value one parser would keep:
 *
 * <ul>
 *   <li>a non-repeated field that occurs more than once: each occurrence is reported (a parser
 *       keeps the last, but which is "last" inside merged or revived messages is where parsers
 *       disagree);
 *   <li>a message field that occurs more than once, singular or repeated: each occurrence is
 *       scanned on its own (a parser merges singular ones, but a string's merged value is still
 *       one of its occurrences);
 *   <li>oneof members do not clear each other here (protobuf-java revives a member's earlier
 *       content when it comes back after another member; Go and C++ start it afresh);
 *   <li>a field whose wire type does not match its declaration is an unknown field, as for every
 *       parser, and is skipped.
 * </ul>
 *
 * <p>So whatever value a conforming parser ends up with is among the reported ones. Malformed
 * framing and nesting deeper than {@link #MAX_DEPTH} are rejected here, invalid UTF-8 in a
 * reported string by the sink, as parsers reject them.
 *
 * <p>The scan keeps no per-message state: it recurses over nested planned messages (at most
 * {@link #MAX_DEPTH} deep) and allocates nothing. Not thread-safe: use one instance per thread.
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

  private byte[] buffer;
  private FactSink sink;
  /** Position after the last varint read (varints return their value). */
  private int cursor;

  /** Scans {@code buffer[offset, offset+length)} as a message of {@code plan}'s type. */
  void scan(byte[] buffer, int offset, int length, MessagePlan plan, FactSink sink)
      throws MalformedRequestException {
    this.buffer = buffer;
    this.sink = sink;
    try {
      scanMessage(plan, offset, offset + length, 0);
    } finally {
      this.buffer = null;
      this.sink = null;
    }
  }

  /** Scans one occurrence of a message, {@code buffer[pos, end)}, nested {@code depth} deep. */
  private void scanMessage(MessagePlan plan, int pos, int end, int depth)
      throws MalformedRequestException {
    if (depth > MAX_DEPTH) {
      throw new MalformedRequestException("message nesting exceeds " + MAX_DEPTH + " levels");
    }
    while (pos < end) {
      long tag = readVarint(pos, end);
      pos = cursor;
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field <= 0 || tag >>> 32 != 0) {
        throw new MalformedRequestException("invalid field number in " + plan.typeName);
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
      if (fact != null) {
        if (fact.kind() == Fact.Kind.PRESENCE) {
          sink.markPresent(fact);
        } else {
          sink.acceptString(fact, buffer, start, pos);
        }
      }
      if (child != null) {
        scanMessage(child, start, pos, depth + 1);
      }
    }
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
