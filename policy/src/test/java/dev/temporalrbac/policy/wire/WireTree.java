package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request body as an editable list of wire-level fields, for the fuzzer: each length-delimited
 * field that the descriptor declares as a message (and that parses as one) holds its own tree, so
 * mutations can reach nested messages. Encodes back to bytes, optionally with a declared length
 * off by a little. Test code; not thread-safe.
 */
final class WireTree {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int GROUP = 3;
  static final int FIXED32 = 5;

  /** One field occurrence. {@code value}: the bytes after the tag (after the length for LEN). */
  static final class Entry {
    final int field;
    final int wireType;
    final byte[] value;
    final WireTree child;
    int lengthDelta;

    Entry(int field, int wireType, byte[] value, WireTree child) {
      this.field = field;
      this.wireType = wireType;
      this.value = value;
      this.child = child;
    }

    Entry copy() {
      Entry copy = new Entry(field, wireType, value, child == null ? null : child.copy());
      copy.lengthDelta = lengthDelta;
      return copy;
    }
  }

  final Descriptor type;
  final List<Entry> entries = new ArrayList<>();

  WireTree(Descriptor type) {
    this.type = type;
  }

  WireTree copy() {
    WireTree copy = new WireTree(type);
    for (Entry entry : entries) {
      copy.entries.add(entry.copy());
    }
    return copy;
  }

  /** Every tree in this one (this first), for picking where to mutate. */
  void collect(List<WireTree> out) {
    out.add(this);
    for (Entry entry : entries) {
      if (entry.child != null) {
        entry.child.collect(out);
      }
    }
  }

  /** Parses {@code bytes} as {@code type}; null when the framing is broken. */
  static WireTree parse(Descriptor type, byte[] bytes) {
    WireTree tree = new WireTree(type);
    return tree.read(bytes, 0, bytes.length, 0) ? tree : null;
  }

  private boolean read(byte[] bytes, int pos, int end, int depth) {
    int[] cursor = {pos};
    while (cursor[0] < end) {
      long tag = varint(bytes, cursor, end);
      if (tag < 0 || (tag >>> 3) == 0 || (tag >>> 3) > 536_870_911) {
        return false;
      }
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      int start = cursor[0];
      switch (wireType) {
        case VARINT:
          if (varint(bytes, cursor, end) < -1 || cursor[0] < 0) {
            return false;
          }
          break;
        case FIXED64:
        case FIXED32:
          cursor[0] += wireType == FIXED64 ? 8 : 4;
          break;
        case LEN:
          long length = varint(bytes, cursor, end);
          if (cursor[0] < 0 || length < 0 || length > end - cursor[0]) {
            return false;
          }
          start = cursor[0];
          cursor[0] += (int) length;
          break;
        case GROUP:
          cursor[0] = skipGroup(bytes, cursor[0], end, field, depth + 1);
          break;
        default:
          return false;
      }
      if (cursor[0] < 0 || cursor[0] > end) {
        return false;
      }
      byte[] value = Arrays.copyOfRange(bytes, start, cursor[0]);
      entries.add(new Entry(field, wireType, value, childOf(field, wireType, value, depth)));
    }
    return true;
  }

  private WireTree childOf(int field, int wireType, byte[] value, int depth) {
    FieldDescriptor descriptor = type.findFieldByNumber(field);
    if (wireType != LEN || descriptor == null
        || descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE || depth > 90) {
      return null;
    }
    WireTree child = new WireTree(descriptor.getMessageType());
    return child.read(value, 0, value.length, depth + 1) ? child : null;
  }

  /** Position after the end-group tag of {@code field}, or -1. */
  private static int skipGroup(byte[] bytes, int pos, int end, int field, int depth) {
    int[] cursor = {pos};
    while (cursor[0] < end && depth < 100) {
      long tag = varint(bytes, cursor, end);
      if (tag < 0 || cursor[0] < 0) {
        return -1;
      }
      int wireType = (int) (tag & 7);
      if (wireType == 4) {
        return (tag >>> 3) == field ? cursor[0] : -1;
      }
      if (wireType == VARINT) {
        varint(bytes, cursor, end);
      } else if (wireType == FIXED64 || wireType == FIXED32) {
        cursor[0] += wireType == FIXED64 ? 8 : 4;
      } else if (wireType == LEN) {
        long length = varint(bytes, cursor, end);
        if (cursor[0] < 0 || length < 0 || length > end - cursor[0]) {
          return -1;
        }
        cursor[0] += (int) length;
      } else if (wireType == GROUP) {
        cursor[0] = skipGroup(bytes, cursor[0], end, (int) (tag >>> 3), depth + 1);
      } else {
        return -1;
      }
      if (cursor[0] < 0 || cursor[0] > end) {
        return -1;
      }
    }
    return -1;
  }

  /** Reads a varint at {@code cursor[0]}; on error sets the cursor to -1 and returns -1. */
  private static long varint(byte[] bytes, int[] cursor, int end) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (cursor[0] < 0 || cursor[0] >= end) {
        cursor[0] = -1;
        return -1;
      }
      byte b = bytes[cursor[0]++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value < 0 ? Long.MAX_VALUE : value;
      }
    }
    cursor[0] = -1;
    return -1;
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out);
    return out.toByteArray();
  }

  private void write(ByteArrayOutputStream out) {
    for (Entry entry : entries) {
      writeVarint(out, ((long) entry.field << 3) | entry.wireType);
      if (entry.wireType == LEN) {
        byte[] value = entry.child != null ? entry.child.encode() : entry.value;
        writeVarint(out, Math.max(0, value.length + entry.lengthDelta));
        out.writeBytes(value);
      } else {
        out.writeBytes(entry.value);
      }
    }
  }

  static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
