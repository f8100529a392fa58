package dev.temporalrbac.policy.wire;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, structure-aware mutational fuzzer of the scanner against two reference readings.
 * Starts from {@link FuzzTarget} seeds (every namespace-scoped request type, a namespace at every
 * planned path) or from an earlier accepted body, applies one to four mutations (duplicate,
 * reorder and drop fields at any depth, oneof switch-backs, namespaces inserted, fields spliced in
 * from other seeds, wrong wire types, unknown fields and groups, length tweaks, truncation, byte
 * flips) and checks each body twice. Reading: if the scanner accepts it, its namespaces must
 * contain every namespace protobuf-java's generated parser or the Go-rule reader reads. Decision:
 * if the authorizer allows it for a caller holding only {@link #GRANTED}, neither reference may
 * read any other namespace. A rejection by the scanner is a safe deny and only counted.
 * Deterministic for a given seed. Not thread-safe.
 */
final class NamespaceFuzzer {
  /** What a run found. {@code failure} is the first wrong body in hex with the readings, or "". */
  record Summary(long bodies, long accepted, long rejected, long wrong, long disagreements,
      long allowed, long seed, double seconds, String failure) {
    String line() {
      return String.format(java.util.Locale.ROOT, "bodies=%d accepted=%d rejected-as-malformed=%d"
          + " wrong-readings=%d java-go-disagreements=%d allowed=%d seed=%d seconds=%.1f",
          bodies, accepted, rejected, wrong, disagreements, allowed, seed, seconds);
    }
  }

  private static final int POOL = 512;
  /** The fuzzing caller's grants (admin); billing and ns2 are listed in the policy, not granted. */
  static final Set<String> GRANTED = Set.of("payments", "ns1");
  private static final PolicySnapshot POLICY = Fixtures.policy()
      .user("fuzzer", "read_only", "payments=admin", "ns1=admin")
      .namespace("payments", "id-payments", null, null)
      .namespace("billing", "id-billing", null, null)
      .namespace("ns1", "id-ns1", null, null)
      .namespace("ns2", "id-ns2", null, null).build();

  private final Random random;
  private final long seed;
  private final List<FuzzTarget> targets;
  /** Indexes of targets where a oneof member on a planned path holds a namespace. */
  private final List<Integer> switchable = new ArrayList<>();
  /** Accepted bodies to mutate further, per target index. */
  private final List<List<byte[]>> pools = new ArrayList<>();

  NamespaceFuzzer(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.targets = FuzzTarget.all(random);
    for (int i = 0; i < targets.size(); i++) {
      pools.add(new ArrayList<>());
      for (byte[] body : targets.get(i).seeds) {
        List<WireTree> nodes = new ArrayList<>();
        WireTree.parse(targets.get(i).type, body).collect(nodes);
        if (nodes.stream().anyMatch(node -> switchable(node)) && !switchable.contains(i)) {
          switchable.add(i);
        }
      }
    }
  }

  int targetCount() {
    return targets.size();
  }

  Summary run(long bodies) throws MalformedRequestException {
    long started = System.nanoTime();
    long accepted = 0;
    long rejected = 0;
    long wrong = 0;
    long disagreements = 0;
    long allowed = 0;
    String failure = "";
    RequestFacts facts = new RequestFacts();
    for (long n = 0; n < bodies; n++) {
      int index = switchable.isEmpty() || random.nextInt(4) != 0
          ? random.nextInt(targets.size()) : switchable.get(random.nextInt(switchable.size()));
      FuzzTarget target = targets.get(index);
      byte[] body = mutate(target, start(index, target));
      facts.clear();
      try {
        RequestReader.read(target.plan, body, facts);
      } catch (MalformedRequestException e) {
        rejected++;
        continue;
      }
      accepted++;
      List<String> scanned = facts.namespaces();
      List<String> java = target.javaReading(body);
      List<String> go = target.goReading(body);
      boolean covered = (java == null || scanned.containsAll(java))
          && (go == null || scanned.containsAll(go));
      if (Fixtures.asPrincipal(POLICY, "fuzzer", target.method, body).allowed()) {
        allowed++;
        covered &= (java == null || GRANTED.containsAll(java))
            && (go == null || GRANTED.containsAll(go));
      }
      if (java != null && go != null
          && !new java.util.TreeSet<>(java).equals(new java.util.TreeSet<>(go))) {
        disagreements++;
      }
      if (!covered) {
        if (wrong++ == 0) {
          failure = target.type.getFullName() + " body " + HexFormat.of().formatHex(body)
              + " scanner " + scanned + " protobuf-java " + java + " go " + go
              + " (caller granted " + GRANTED + ")";
        }
        continue;
      }
      List<byte[]> pool = pools.get(index);
      if (pool.size() < POOL) {
        pool.add(body);
      } else {
        pool.set(random.nextInt(POOL), body);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Summary(bodies, accepted, rejected, wrong, disagreements, allowed, seed, seconds,
        failure);
  }

  private byte[] start(int index, FuzzTarget target) {
    List<byte[]> pool = pools.get(index);
    if (!pool.isEmpty() && random.nextBoolean()) {
      return pool.get(random.nextInt(pool.size()));
    }
    return target.seeds.get(random.nextInt(target.seeds.size()));
  }

  private byte[] mutate(FuzzTarget target, byte[] body) {
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
        List<WireTree> candidates = nodes.stream().filter(NamespaceFuzzer::switchable).toList();
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
  private static boolean switchable(WireTree node) {
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
