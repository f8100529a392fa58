package dev.temporalrbac.it;

import static dev.temporalrbac.it.ItSupport.assertDenied;
import static dev.temporalrbac.it.ItSupport.await;
import static dev.temporalrbac.it.ItSupport.label;
import static dev.temporalrbac.it.ItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.it.ItSupport.Sdk;
import dev.temporalrbac.it.OrderFlow.ChargeActivityImpl;
import dev.temporalrbac.it.OrderFlow.OrderWorkflow;
import dev.temporalrbac.it.OrderFlow.OrderWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal's Java SDK, as client and as worker, through the proxy (in this JVM) in front of a
 * port-bound Temporal test server: what the policy allows runs end to end, what it does not is
 * refused with PERMISSION_DENIED, a key disabled by hot reload stops working without a restart,
 * and {@code /metrics} counts it all. Policy: {@code sdk-policy.yaml}.
 *
 * <p>The servers are shared by the tests; nothing else is. Each test makes the calls it asserts
 * on, with its own workflow ids and task queues, and reads counters as differences from what it
 * saw before, so the tests pass alone and in any order.
 */
@Timeout(120)
class SdkEndToEndTest {
  private static final String WRITER = "it-writer-secret";
  private static final String READER = "it-reader-secret";
  private static final String WORKER = "it-worker-secret";
  private static final String TOGGLE = "it-toggle-secret";
  private static final String TOGGLE_ENABLED = "    disabled: false";

  private static TestServer.PortBoundTestServer temporal;
  private static InJvmProxy proxy;
  private static Path policy;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    int temporalPort = ItSupport.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    policy = ItSupport.copyResource("sdk-policy.yaml", dir);
    proxy = InJvmProxy.start(dir, policy, "127.0.0.1:" + temporalPort);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void workerRunsAWorkflowWithAHeartbeatingActivityEndToEnd() throws Exception {
    String queue = unique("orders-e2e");
    String order = unique("o");
    double heartbeatsAllowed = proxy.decisions("RecordActivityTaskHeartbeat",
        label("decision", "allow"));
    try (Sdk worker = Sdk.connect(proxy.port, WORKER, "orders");
        Sdk client = Sdk.connect(proxy.port, WRITER, "orders")) {
      WorkerFactory factory = ItSupport.startOrderWorker(worker, queue);
      try {
        String id = unique("order");
        OrderWorkflow workflow = client.client().newWorkflowStub(OrderWorkflow.class, ItSupport.orderOptions(queue, id));
        assertEquals("charged " + order, workflow.process(order));

        List<EventType> events = client.client().fetchHistory(id).getEvents().stream()
            .map(HistoryEvent::getEventType).toList();
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, events.get(0), events::toString);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
            events.get(events.size() - 1), events::toString);
        assertInOrder(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      } finally {
        ItSupport.shutdown(factory);
      }
    }
    assertEquals(3, ChargeActivityImpl.heartbeats(order), "the activity did not run");
    assertTrue(proxy.decisions("RecordActivityTaskHeartbeat", label("decision", "allow"))
        > heartbeatsAllowed, "no heartbeat went through the proxy");
  }

  @Test
  void readOnlyUserReadsButCannotStartSignalOrTerminate() throws Exception {
    String id = unique("order");
    String queue = unique("no-worker");
    try (Sdk writer = Sdk.connect(proxy.port, WRITER, "orders");
        Sdk reader = Sdk.connect(proxy.port, READER, "orders")) {
      OrderWorkflow started = writer.client().newWorkflowStub(OrderWorkflow.class, ItSupport.orderOptions(queue, id));
      WorkflowClient.start(started::process, "o-2");

      WorkflowStub seen = reader.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty());
      assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          seen.describe().getStatus());
      assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
          reader.client().fetchHistory(id).getEvents().get(0).getEventType());

      OrderWorkflow another = reader.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(queue, unique("order")));
      assertDenied(() -> WorkflowClient.start(another::process, "o-3"));
      assertDenied(() -> seen.signal("note", "hello"));
      assertDenied(() -> seen.terminate("not allowed"));
      assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          seen.describe().getStatus(), "a refused call changed the workflow");

      WorkflowStub own = writer.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty());
      own.terminate("cleanup by a writer");
      assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
          seen.describe().getStatus());
    }
  }

  @Test
  void ordersOnlyPrincipalIsRefusedOnPaymentsAsClientAndAsWorker() throws Exception {
    String queue = unique("payments");
    double pollDenials = pollDenials("PollWorkflowTaskQueue") + pollDenials("PollActivityTaskQueue");
    try (Sdk payments = Sdk.connect(proxy.port, WORKER, "payments")) {
      OrderWorkflow workflow = payments.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(queue, unique("payment")));
      assertDenied(() -> WorkflowClient.start(workflow::process, "p-1"));

      // SDK 1.39's WorkerFactory.start() describes the namespace first: refused, it fails there.
      WorkerFactory factory = WorkerFactory.newInstance(payments.client());
      try {
        factory.newWorker(queue).registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
        assertDenied(factory::start);
      } finally {
        ItSupport.shutdown(factory);
      }
      // The polls that worker would make, sent through the same SDK stubs, are refused too.
      var stub = payments.stubs().blockingStub();
      TaskQueue taskQueue = TaskQueue.newBuilder().setName(queue).build();
      assertDenied(() -> stub.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
          .setNamespace("payments").setTaskQueue(taskQueue).setIdentity("it").build()));
      assertDenied(() -> stub.pollActivityTaskQueue(PollActivityTaskQueueRequest.newBuilder()
          .setNamespace("payments").setTaskQueue(taskQueue).setIdentity("it").build()));
    }
    assertTrue(pollDenials("PollWorkflowTaskQueue") + pollDenials("PollActivityTaskQueue")
        >= pollDenials + 2, "the refused polls were not counted");
    await("an audit record of the refused poll", Duration.ofSeconds(10),
        () -> proxy.audit().stream().anyMatch(line -> line.contains("PollWorkflowTaskQueue")
            && line.contains("\"principal\":\"orders-worker\"")
            && line.contains("\"namespaces\":[\"payments\"]")));
  }

  @Test
  void sdkWorkerWithoutWriteKeepsPollingAndEveryPollIsRefused() throws Exception {
    String queue = unique("read-only-worker");
    double before = pollDenials("PollWorkflowTaskQueue");
    try (Sdk reader = Sdk.connect(proxy.port, READER, "orders")) {
      // Read on orders lets the worker start (DescribeNamespace); its polls need Write.
      WorkerFactory factory = WorkerFactory.newInstance(reader.client());
      try {
        factory.newWorker(queue).registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
        factory.start();
        await("the proxy to refuse the SDK worker's repeated polls", Duration.ofSeconds(60),
            () -> pollDenials("PollWorkflowTaskQueue") >= before + 3);
      } finally {
        ItSupport.shutdown(factory);
      }
    }
    await("an audit record of a refused poll", Duration.ofSeconds(10),
        () -> proxy.audit().stream().anyMatch(line -> line.contains("PollWorkflowTaskQueue")
            && line.contains("\"principal\":\"reader@example.com\"")));
  }

  @Test
  void disabledKeyIsRefusedWithoutRestartAndWorksAgainWhenReEnabled() throws Exception {
    String queue = unique("toggle");
    String original = Files.readString(policy);
    assertTrue(original.endsWith(TOGGLE_ENABLED + "\n"), "the toggle key must come last");
    try (Sdk worker = Sdk.connect(proxy.port, TOGGLE, "orders");
        Sdk client = Sdk.connect(proxy.port, WRITER, "orders")) {
      WorkerFactory factory = ItSupport.startOrderWorker(worker, queue);
      try {
        OrderWorkflow first = client.client().newWorkflowStub(OrderWorkflow.class,
            ItSupport.orderOptions(queue, unique("order")));
        assertEquals("charged o-4", first.process("o-4"), "the worker must work before the change");

        double keyDenials = proxy.metric(ItSupport.DECISIONS, label("reason", "key_disabled"));
        reload(original.replace(TOGGLE_ENABLED + "\n", "    disabled: true\n"));
        String id = unique("order");
        OrderWorkflow pending = client.client().newWorkflowStub(OrderWorkflow.class,
            WorkflowOptions.newBuilder(ItSupport.orderOptions(queue, id))
                .setWorkflowTaskTimeout(Duration.ofSeconds(2)).build());
        WorkflowClient.start(pending::process, "o-5"); // the client's key is still valid
        await("the disabled worker key to be refused", Duration.ofSeconds(60),
            () -> proxy.metric(ItSupport.DECISIONS, label("reason", "key_disabled")) > keyDenials);
        await("an audit record naming the disabled key", Duration.ofSeconds(10),
            () -> proxy.audit().stream().anyMatch(line -> line.contains("\"key_disabled\"")
                && line.contains("key-toggle")));
        WorkflowStub stub = client.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
            stub.describe().getStatus(), "a workflow completed while its worker's key was disabled");

        reload(original);
        assertEquals("charged o-5", stub.getResult(60, TimeUnit.SECONDS, String.class),
            "the pending workflow did not complete once the key was enabled again");
      } finally {
        ItSupport.rewrite(policy, original);
        ItSupport.shutdown(factory);
      }
    }
  }

  /**
   * Scenario 7: {@code /metrics} on the admin port counts the allowed and refused calls of an
   * order run end to end, a reader's refused writes and a worker's refused poll, all made here.
   */
  @Test
  void metricsCountTheAllowsAndDenialsOfTheCallsMade() throws Exception {
    List<String> allowed = List.of("StartWorkflowExecution", "RespondWorkflowTaskCompleted",
        "PollWorkflowTaskQueue", "PollActivityTaskQueue", "RecordActivityTaskHeartbeat",
        "RespondActivityTaskCompleted", "GetWorkflowExecutionHistory",
        "DescribeWorkflowExecution", "TerminateWorkflowExecution");
    List<String> denied = List.of("StartWorkflowExecution", "SignalWorkflowExecution",
        "TerminateWorkflowExecution", "PollWorkflowTaskQueue");
    String before = proxy.metrics();

    String id = unique("order");
    String queue = unique("metrics");
    try (Sdk worker = Sdk.connect(proxy.port, WORKER, "orders");
        Sdk writer = Sdk.connect(proxy.port, WRITER, "orders");
        Sdk reader = Sdk.connect(proxy.port, READER, "orders");
        Sdk payments = Sdk.connect(proxy.port, WORKER, "payments")) {
      String order = unique("o");
      assertEquals("charged " + order, ItSupport.processOneOrder(worker, writer, queue, order));

      OrderWorkflow idle = writer.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(unique("no-worker"), id));
      WorkflowClient.start(idle::process, "never charged");
      WorkflowStub seen = reader.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty());
      assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          seen.describe().getStatus());
      OrderWorkflow refused = reader.client().newWorkflowStub(OrderWorkflow.class,
          ItSupport.orderOptions(queue, unique("order")));
      assertDenied(() -> WorkflowClient.start(refused::process, "refused"));
      assertDenied(() -> seen.signal("note", "hello"));
      assertDenied(() -> seen.terminate("not allowed"));
      writer.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty())
          .terminate("cleanup by a writer");
      assertDenied(() -> payments.stubs().blockingStub().pollWorkflowTaskQueue(
          PollWorkflowTaskQueueRequest.newBuilder().setNamespace("payments")
              .setTaskQueue(TaskQueue.newBuilder().setName(queue)).setIdentity("it").build()));
    }

    String after = proxy.metrics();
    assertTrue(increase(before, after, label("method", "StartWorkflowExecution"),
        label("decision", "deny"), label("reason", "missing_namespace_permission")) >= 1, after);
    for (String method : allowed) {
      assertTrue(increase(before, after, label("method", method), label("decision", "allow")) >= 1,
          "no allow counted for " + method + ":\n" + after);
    }
    for (String method : denied) {
      assertTrue(increase(before, after, label("method", method), label("decision", "deny")) >= 1,
          "no deny counted for " + method + ":\n" + after);
    }
  }

  /** How much the decisions with every label given grew from {@code before} to {@code after}. */
  private static double increase(String before, String after, String... labels) {
    return ItSupport.sample(after, ItSupport.DECISIONS, labels)
        - ItSupport.sample(before, ItSupport.DECISIONS, labels);
  }

  private static double pollDenials(String method) {
    return proxy.decisions(method, label("decision", "deny"),
        label("reason", "missing_namespace_permission"));
  }

  private static void reload(String content) throws Exception {
    double reloads = proxy.metric("temporal_rbac_policy_reloads_total", label("result", "success"));
    ItSupport.rewrite(policy, content);
    await("the proxy to reload the policy", Duration.ofSeconds(10), () -> proxy.metric(
        "temporal_rbac_policy_reloads_total", label("result", "success")) > reloads);
  }

  /** {@code expected} occur in {@code events} in this order (other events may come between). */
  private static void assertInOrder(List<EventType> events, EventType... expected) {
    int at = 0;
    for (EventType event : events) {
      if (at < expected.length && event == expected[at]) {
        at++;
      }
    }
    assertEquals(expected.length, at, "expected in order " + List.of(expected) + " in " + events);
  }
}
