package dev.temporalrbac.policy.wire;

import static dev.temporalrbac.policy.wire.WireBytes.concat;
import static dev.temporalrbac.policy.wire.WireBytes.distinct;
import static dev.temporalrbac.policy.wire.WireBytes.len;
import static dev.temporalrbac.policy.wire.WireBytes.scan;
import static dev.temporalrbac.policy.wire.WireBytes.serverNamespaces;
import static dev.temporalrbac.policy.wire.WireBytes.sorted;
import static dev.temporalrbac.policy.wire.WireBytes.str;
import static dev.temporalrbac.policy.wire.WireBytes.varint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.temporal.api.command.v1.Command;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomised differential checks: requests assembled from fragments (repeats, merges, oneof
 * switch-backs, wrong wire types). The scanner's namespaces must contain every namespace each
 * reference reading finds: protobuf-java's generated parser (which revives a oneof member's
 * earlier content when the member comes back after another one), {@link GoRuleReader} (Go and
 * C++ start it afresh) and {@link DynamicMessage} (as Go). Also: slices of a larger buffer, reuse
 * of the per-thread scanner, concurrent reads.
 */
class WireScannerDifferentialTest {
  private static final int ROUNDS = 3000;
  private static final int NS = 1;
  private static final String[] NAMES = {"", "a", "b", "c", "ns-é", "ns-😀"};
  private static final int[] COMMAND_MEMBERS = {
      Command.START_CHILD_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER,
      Command.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER,
      Command.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER,
      Command.COMPLETE_WORKFLOW_EXECUTION_COMMAND_ATTRIBUTES_FIELD_NUMBER,
      Command.START_TIMER_COMMAND_ATTRIBUTES_FIELD_NUMBER};
  private static final int[] OPERATION_MEMBERS = {
      Operation.START_WORKFLOW_FIELD_NUMBER, Operation.UPDATE_WORKFLOW_FIELD_NUMBER};

  private final Random random = new Random(20240611L);

  private String name() {
    return NAMES[random.nextInt(NAMES.length)];
  }

  /** One fragment of a message holding a oneof: a member, possibly with a wrong wire type. */
  private byte[] member(int[] members, int withNamespace) {
    int index = random.nextInt(members.length);
    int field = members[index];
    switch (random.nextInt(6)) {
      case 0:
        return varint(field, 1); // wrong wire type: an unknown field
      case 1:
        return len(field, new byte[0]);
      case 2:
        return len(field, varint(900, 1)); // only an unknown field inside
      default:
        // the first `withNamespace` members have `string namespace = 1`
        return len(field, index < withNamespace ? str(NS, name()) : new byte[0]);
    }
  }

  /**
   * An element of a repeated field: 1-4 fragments that the parser merges into one instance, or a
   * switch-back: a member with a namespace, another member, then the first member again.
   */
  private byte[] element(int[] members, int withNamespace) {
    if (random.nextInt(3) == 0) {
      int first = random.nextInt(withNamespace);
      int other = (first + 1 + random.nextInt(members.length - 1)) % members.length;
      byte[] back = random.nextBoolean() ? new byte[0] : str(NS, name());
      return concat(len(members[first], str(NS, name())), len(members[other], new byte[0]),
          len(members[first], back), member(members, withNamespace));
    }
    List<byte[]> parts = new ArrayList<>();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      parts.add(member(members, withNamespace));
    }
    return concat(parts.toArray(new byte[0][]));
  }

  private byte[] request(int repeatedField, int[] members, int withNamespace) {
    List<byte[]> parts = new ArrayList<>();
    int count = random.nextInt(7);
    for (int i = 0; i < count; i++) {
      parts.add(random.nextInt(3) == 0 ? str(NS, name())
          : len(repeatedField, element(members, withNamespace)));
    }
    return concat(parts.toArray(new byte[0][]));
  }

  /**
   * Checks one body: the scanner's set must cover what protobuf-java's generated parser, the
   * Go-rule reader and DynamicMessage read. Returns whether Java and Go disagree on it.
   */
  private static boolean check(RequestPlan plan, byte[] bytes, Parser<? extends Message> java)
      throws Exception {
    Descriptor type = plan.requestType();
    List<String> scanned = scan(plan, bytes).namespaces();
    List<String> javaRead = serverNamespaces(java.parseFrom(bytes));
    List<String> goRead = GoRuleReader.namespaces(type, bytes);
    List<String> dynamic = serverNamespaces(DynamicMessage.parseFrom(type, bytes));
    assertTrue(scanned.containsAll(javaRead), () -> "protobuf-java read " + javaRead
        + ", scanner " + scanned + ": " + hex(bytes));
    assertTrue(scanned.containsAll(goRead), () -> "Go rule read " + goRead + ", scanner "
        + scanned + ": " + hex(bytes));
    assertTrue(scanned.containsAll(dynamic), () -> "DynamicMessage read " + dynamic
        + ", scanner " + scanned + ": " + hex(bytes));
    return !distinct(javaRead).equals(distinct(goRead));
  }

  @Test
  void respondWorkflowTaskCompletedIsCovered() throws Exception {
    RequestPlan plan =
        new PlanCompiler().namespaceScoped(RespondWorkflowTaskCompletedRequest.getDescriptor());
    int disagreements = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] bytes = request(RespondWorkflowTaskCompletedRequest.COMMANDS_FIELD_NUMBER,
          COMMAND_MEMBERS, 3);
      disagreements += check(plan, bytes, RespondWorkflowTaskCompletedRequest.parser()) ? 1 : 0;
      assertTrue(List.of(NAMES).containsAll(scan(plan, bytes).namespaces()));
    }
    assertTrue(disagreements > ROUNDS / 20, "too few switch-back shapes: " + disagreements);
  }

  @Test
  void executeMultiOperationIsCovered() throws Exception {
    RequestPlan plan =
        new PlanCompiler().namespaceScoped(ExecuteMultiOperationRequest.getDescriptor());
    int disagreements = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] bytes = request(ExecuteMultiOperationRequest.OPERATIONS_FIELD_NUMBER,
          OPERATION_MEMBERS, 2);
      disagreements += check(plan, bytes, ExecuteMultiOperationRequest.parser()) ? 1 : 0;
      assertTrue(List.of(NAMES).containsAll(scan(plan, bytes).namespaces()));
    }
    assertTrue(disagreements > ROUNDS / 20, "too few switch-back shapes: " + disagreements);
  }

  /** The minimal cases of issue 9: a oneof member that comes back after another one. */
  @Test
  void issueNineSwitchBackCasesNameBothNamespaces() throws Exception {
    RequestPlan multi =
        new PlanCompiler().namespaceScoped(ExecuteMultiOperationRequest.getDescriptor());
    byte[] operation = WireBytes.hex("0a087061796d656e7473120f0a090a0762696c6c696e6712000a00");
    assertEquals("billing", ExecuteMultiOperationRequest.parseFrom(operation).getOperations(0)
        .getStartWorkflow().getNamespace(), "protobuf-java revives start_workflow");
    assertEquals(List.of("payments"),
        GoRuleReader.namespaces(multi.requestType(), operation), "Go starts it afresh");
    assertEquals(List.of("billing", "payments"), sorted(scan(multi, operation).namespaces()));
    check(multi, operation, ExecuteMultiOperationRequest.parser());

    RequestPlan respond =
        new PlanCompiler().namespaceScoped(RespondWorkflowTaskCompletedRequest.getDescriptor());
    byte[] command = WireBytes.hex("4a087061796d656e7473120f6a090a0762696c6c696e6722006a00");
    assertEquals("billing", RespondWorkflowTaskCompletedRequest.parseFrom(command)
        .getCommands(0).getSignalExternalWorkflowExecutionCommandAttributes().getNamespace(),
        "protobuf-java revives the signal attributes");
    assertEquals(List.of("payments"), GoRuleReader.namespaces(respond.requestType(), command));
    assertEquals(List.of("billing", "payments"), sorted(scan(respond, command).namespaces()));
    check(respond, command, RespondWorkflowTaskCompletedRequest.parser());
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  // ---- slices and reuse -------------------------------------------------------------------------

  private static final RequestPlan START =
      new PlanCompiler().namespaceScoped(StartWorkflowExecutionRequest.getDescriptor());

  @Test
  void readsOnlyTheGivenSliceOfTheBuffer() throws Exception {
    byte[] request = StartWorkflowExecutionRequest.newBuilder().setNamespace("inside").build()
        .toByteArray();
    // garbage around the slice would be malformed (0xff) or another namespace if read
    byte[] buffer = concat(new byte[] {(byte) 0xff}, request, str(NS, "outside"));
    RequestFacts facts = new RequestFacts();
    RequestReader.read(START, buffer, 1, request.length, facts);
    assertEquals(List.of("inside"), facts.namespaces());
  }

  @Test
  void rejectsSlicesOutsideTheBuffer() {
    byte[] buffer = new byte[8];
    RequestFacts facts = new RequestFacts();
    assertThrows(IndexOutOfBoundsException.class,
        () -> RequestReader.read(START, buffer, -1, 2, facts));
    assertThrows(IndexOutOfBoundsException.class,
        () -> RequestReader.read(START, buffer, 0, -1, facts));
    assertThrows(IndexOutOfBoundsException.class,
        () -> RequestReader.read(START, buffer, 4, 5, facts));
  }

  /** Regression: {@code offset + length} once overflowed and let this slice through. */
  @Test
  void rejectsSlicesWhoseEndOverflows() {
    byte[] buffer = str(NS, "x");
    assertThrows(IndexOutOfBoundsException.class,
        () -> RequestReader.read(START, buffer, 1, Integer.MAX_VALUE, new RequestFacts()));
  }

  @Test
  void scannerStateDoesNotLeakBetweenReads() throws Exception {
    RequestPlan respond =
        new PlanCompiler().namespaceScoped(RespondWorkflowTaskCompletedRequest.getDescriptor());
    RespondWorkflowTaskCompletedRequest.Builder big = RespondWorkflowTaskCompletedRequest.newBuilder();
    for (int i = 0; i < 500; i++) {
      big.addCommandsBuilder().getStartChildWorkflowExecutionCommandAttributesBuilder()
          .setNamespace("c" + i);
    }
    RequestFacts facts = new RequestFacts();
    RequestReader.read(respond, big.build().toByteArray(), facts);
    assertEquals(500, facts.namespaces().size());

    // a failed read, then a small one on the same thread with a cleared sink
    assertThrows(MalformedRequestException.class,
        () -> RequestReader.read(respond, new byte[] {0x0a}, new RequestFacts()));
    facts.clear();
    RequestReader.read(START, str(NS, "small"), facts);
    assertEquals(List.of("small"), facts.namespaces());
  }

  @Test
  void readsConcurrentlyFromManyThreads() throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      String ns = "thread-" + t;
      byte[] bytes = str(NS, ns);
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 2000; i++) {
            RequestFacts facts = new RequestFacts();
            RequestReader.read(START, bytes, facts);
            assertEquals(List.of(ns), facts.namespaces());
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(List.of(), failures);
  }
}
