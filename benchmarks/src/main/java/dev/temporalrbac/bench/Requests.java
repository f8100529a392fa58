package dev.temporalrbac.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.nio.charset.StandardCharsets;

/** Realistic serialized requests, as an SDK sends them. */
public final class Requests {
  public static final String START_WORKFLOW =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";

  private static final ByteString JSON_PLAIN = ByteString.copyFromUtf8("json/plain");

  private Requests() {}

  /**
   * A StartWorkflowExecutionRequest of about 1 KiB: namespace, workflow id and type, task queue,
   * an input payload of {@code inputBytes} JSON bytes, timeouts, memo, search attributes, a header
   * (a tracing context), identity and request id.
   */
  public static StartWorkflowExecutionRequest startWorkflow(String namespace, int inputBytes) {
    return StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowId("order-processing-7f3c2a91-5d4e-4b8a-9c1f-0e2d3b4a5c6d")
        .setWorkflowType(WorkflowType.newBuilder().setName("OrderProcessingWorkflow"))
        .setTaskQueue(TaskQueue.newBuilder()
            .setName("order-processing-tq")
            .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
        .setInput(Payloads.newBuilder().addPayloads(json(jsonInput(inputBytes))))
        .setWorkflowExecutionTimeout(Duration.newBuilder().setSeconds(86_400))
        .setWorkflowRunTimeout(Duration.newBuilder().setSeconds(3_600))
        .setWorkflowTaskTimeout(Duration.newBuilder().setSeconds(10))
        .setIdentity("12345@worker-host-3.prod.internal")
        .setRequestId("0b6f4a52-8c1e-4f3d-9a7b-2e5c6d8f9a01")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setMemo(Memo.newBuilder()
            .putFields("customer", json("\"Acme Corporation\""))
            .putFields("channel", json("\"web\"")))
        .setSearchAttributes(SearchAttributes.newBuilder()
            .putIndexedFields("CustomerId", json("\"cust-000042\""))
            .putIndexedFields("OrderTotal", json("1234.56")))
        .setHeader(Header.newBuilder()
            .putFields("_tracer-data", json(
                "{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}")))
        .build();
  }

  private static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", JSON_PLAIN)
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }

  /** A JSON object of exactly {@code bytes} UTF-8 bytes (at least 64). */
  static String jsonInput(int bytes) {
    StringBuilder json = new StringBuilder(bytes);
    json.append("{\"orderId\":\"ord-20250101-000042\",\"customerId\":\"cust-000042\",\"lines\":[");
    int line = 0;
    String close = "]}";
    while (true) {
      String item = (line == 0 ? "" : ",") + "{\"sku\":\"SKU-" + (10_000 + line)
          + "\",\"qty\":" + (line % 5 + 1) + ",\"price\":" + (9.99 + line) + "}";
      if (json.length() + item.length() + close.length() > bytes) {
        break;
      }
      json.append(item);
      line++;
    }
    json.append(close);
    // Pad inside a trailing field so the document stays valid JSON of the exact size.
    int pad = bytes - json.length();
    if (pad >= 10) {
      json.setLength(json.length() - 1);
      json.append(",\"n\":\"").append("x".repeat(pad - 7)).append("\"}");
    }
    String result = json.toString();
    if (result.getBytes(StandardCharsets.UTF_8).length > bytes) {
      throw new IllegalStateException("input generator overshot");
    }
    return result;
  }
}
