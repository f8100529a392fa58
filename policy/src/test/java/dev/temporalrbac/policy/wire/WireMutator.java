package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fuzzer's mutations of a request body, one to four per body, mostly on its {@link WireTree}
 * (so they reach nested messages): duplicate, reorder and drop fields at any depth (repeats of
 * singular fields, nested repeats), oneof switch-backs, namespaces inserted, fields spliced in
 * from other seeds, known fields with the wrong wire type, unknown fields and groups, declared
 * lengths a little off; sometimes then on the bytes: truncation, bit flips, byte changes.
 * Deterministic for a given {@link Random}. Not thread-safe.
 */
final class WireMutator {
  private final Random random;

  WireMutator(Random random) {
    this.random = random;
  }

  byte[] mutate(FuzzTarget target, byte[] body) {
    WireTree tree = WireTree.parse(target.type, body);
    int count = 1 + random.nextInt(4);
    if (tree != null) {
      for (int i = 0; i < count; i++) {
        mutateTree(target, tree);
      }
      body = tree.encode();
    }
    return random.nextInt(8) == 0 ? mutateBytes(body) : body;
  }

  private void mutateTree(FuzzTarget target, WireTree root) {
    List<WireTree> nodes = new ArrayList<>();
    root.collect(nodes);
    WireTree node = nodes.get(random.nextInt(nodes.size()));
    List<WireTree.Entry> entries = node.entries;
    switch (random.nextInt(10)) {
      case 0: // duplicate a field (a repeat of a singular one, or a nested repeat)
        if (!entries.isEmpty()) {
          entries.add(random.nextInt(entries.size() + 1),
              entries.get(random.nextInt(entries.size())).copy());
        }
        break;
      case 1: // reorder
        if (entries.size() > 1) {
          java.util.Collections.swap(entries, random.nextInt(entries.size()),
              random.nextInt(entries.size()));
        }
        break;
      case 2: // drop
        if (!entries.isEmpty()) {
          entries.remove(random.nextInt(entries.size()));
        }
        break;
      case 3:
      case 4:
        List<WireTree> candidates = nodes.stream().filter(WireMutator::switchable).toList();
        switchBack(candidates.isEmpty() ? node
            : candidates.get(random.nextInt(candidates.size())));
        break;
      case 5: // a namespace here, if this type has one
        FieldDescriptor namespace = node.type.findFieldByName("namespace");
        if (namespace != null && namespace.getType() == FieldDescriptor.Type.STRING) {
          entries.add(random.nextInt(entries.size() + 1), stringEntry(namespace.getNumber()));
        }
        break;
      case 6: // splice a field of another seed of the same request type
        WireTree donor = WireTree.parse(target.type,
            target.seeds.get(random.nextInt(target.seeds.size())));
        if (donor != null && !donor.entries.isEmpty()) {
          root.entries.add(random.nextInt(root.entries.size() + 1),
              donor.entries.get(random.nextInt(donor.entries.size())));
        }
        break;
      case 7: // a known field with the wrong wire type
        if (!entries.isEmpty()) {
          int field = entries.get(random.nextInt(entries.size())).field;
          entries.add(random.nextInt(entries.size() + 1),
              new WireTree.Entry(field, WireTree.VARINT, new byte[] {1}, null));
        }
        break;
      case 8: // an unknown field or group
        entries.add(random.nextInt(entries.size() + 1), unknown());
        break;
      default: // a declared length a little off
        if (!entries.isEmpty()) {
          WireTree.Entry entry = entries.get(random.nextInt(entries.size()));
          entry.lengthDelta = random.nextInt(5) - 2;
        }
    }
  }

  /** True when a oneof of the node's type has a message member with a namespace. */
  static boolean switchable(WireTree node) {
    for (OneofDescriptor oneof : node.type.getRealOneofs()) {
      for (FieldDescriptor member : oneof.getFields()) {
        if (member.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && member.getMessageType().findFieldByName("namespace") != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Member A (with a namespace when it has one), another member B, then A again (empty, or with
   * another namespace): protobuf-java revives A's earlier content, Go starts it afresh.
   */
  private void switchBack(WireTree node) {
    List<OneofDescriptor> oneofs = node.type.getRealOneofs();
    if (oneofs.isEmpty()) {
      return;
    }
    List<FieldDescriptor> members = oneofs.get(random.nextInt(oneofs.size())).getFields();
    List<FieldDescriptor> named = members.stream().filter(m -> m.getJavaType()
        == FieldDescriptor.JavaType.MESSAGE && m.getMessageType().findFieldByName("namespace")
        != null).toList();
    FieldDescriptor a = named.isEmpty() || random.nextInt(4) == 0
        ? members.get(random.nextInt(members.size())) : named.get(random.nextInt(named.size()));
    FieldDescriptor b = members.get(random.nextInt(members.size()));
    List<WireTree.Entry> shape = List.of(member(a, true), member(b, false),
        member(a, random.nextBoolean()));
    node.entries.addAll(random.nextInt(node.entries.size() + 1), shape);
  }

  /** An occurrence of a oneof member: a message holding a namespace, or a minimal value. */
  private WireTree.Entry member(FieldDescriptor field, boolean withNamespace) {
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return field.getJavaType() == FieldDescriptor.JavaType.STRING
          ? stringEntry(field.getNumber())
          : new WireTree.Entry(field.getNumber(), field.getLiteType().getWireType(),
              field.getLiteType().getWireType() == WireTree.VARINT ? new byte[] {1}
                  : new byte[field.getLiteType().getWireType() == WireTree.FIXED64 ? 8 : 4],
              null);
    }
    WireTree child = new WireTree(field.getMessageType());
    FieldDescriptor namespace = field.getMessageType().findFieldByName("namespace");
    if (withNamespace && namespace != null && namespace.getType() == FieldDescriptor.Type.STRING) {
      child.entries.add(stringEntry(namespace.getNumber()));
    }
    return new WireTree.Entry(field.getNumber(), WireTree.LEN, new byte[0], child);
  }

  private WireTree.Entry stringEntry(int field) {
    return new WireTree.Entry(field, WireTree.LEN,
        FuzzTarget.pick(random).getBytes(StandardCharsets.UTF_8), null);
  }

  private WireTree.Entry unknown() {
    int field = 900 + random.nextInt(100);
    switch (random.nextInt(3)) {
      case 0:
        return new WireTree.Entry(field, WireTree.VARINT, new byte[] {5}, null);
      case 1: // a group holding a namespace-like string at field 1
        java.io.ByteArrayOutputStream group = new java.io.ByteArrayOutputStream();
        WireTree.writeVarint(group, (1 << 3) | WireTree.LEN);
        byte[] name = FuzzTarget.pick(random).getBytes(StandardCharsets.UTF_8);
        WireTree.writeVarint(group, name.length);
        group.writeBytes(name);
        WireTree.writeVarint(group, ((long) field << 3) | 4);
        return new WireTree.Entry(field, WireTree.GROUP, group.toByteArray(), null);
      default:
        return new WireTree.Entry(field, WireTree.LEN, new byte[] {0x0a, 0x01, 'x'}, null);
    }
  }

  private byte[] mutateBytes(byte[] body) {
    if (body.length == 0) {
      return body;
    }
    byte[] out = body.clone();
    switch (random.nextInt(3)) {
      case 0:
        return java.util.Arrays.copyOf(out, random.nextInt(out.length));
      case 1:
        out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
      default:
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
    }
  }
}
