package dev.temporalrbac.bench.attack;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** The requests the attacks send, serialized. */
final class Samples {
  static final String START =
      "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  static final String EXECUTE_MULTI =
      "temporal.api.workflowservice.v1.WorkflowService/ExecuteMultiOperation";
  static final String RESPOND_TASK =
      "temporal.api.workflowservice.v1.WorkflowService/RespondWorkflowTaskCompleted";
  static final String EXPLAIN = "temporalrbac.v1.PolicyAdmin/Explain";

  /**
   * Issue 9's minimal switch-back bodies for a caller with write on {@code payments} only: a
   * oneof member naming {@code billing}, another member, then the first one again, empty.
   * protobuf-java's generated classes keep {@code billing}.
   */
  static final byte[] SWITCH_BACK_MULTI = HexFormat.of().parseHex(
      "0a087061796d656e7473120f0a090a0762696c6c696e6712000a00");
  static final byte[] SWITCH_BACK_TASK = HexFormat.of().parseHex(
      "4a087061796d656e7473120f6a090a0762696c6c696e6722006a00");

  /** The unknown field that pads a request to a chosen size. */
  private static final int FILLER = 99;

  /** Workflow ids of the legitimate calls beside an attack (the upstream counts them apart). */
  static final String STEADY_ID = "steady";
  static final String PROBE_ID = "probe";

  private Samples() {}

  static byte[] start(String namespace, String workflowId) {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
        .setWorkflowId(workflowId).setRequestId(workflowId).build().toByteArray();
  }

  /**
   * A valid StartWorkflowExecutionRequest of exactly {@code size} bytes: the fields of
   * {@link #start} then an unknown bytes field (99) whose zeros fill the rest.
   */
  static byte[] startOfSize(String namespace, String workflowId, int size) {
    byte[] prefix = startOfSizePrefix(namespace, workflowId, size);
    byte[] out = new byte[size];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    return out;
  }

  /** The fields of {@link #startOfSize} and the filler's tag and length, without the zeros. */
  static byte[] startOfSizePrefix(String namespace, String workflowId, long size) {
    byte[] head = start(namespace, workflowId);
    int tag = CodedOutputStream.computeTagSize(FILLER);
    long fill = size - head.length - tag - 5;
    fill = size - head.length - tag - CodedOutputStream.computeUInt64SizeNoTag(fill);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeRawBytes(head);
      out.writeTag(FILLER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt64NoTag(fill);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code PolicyAdmin/Explain} asking whether {@code apiKey} may start a workflow. */
  static byte[] explain(String apiKey, String namespace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BodyFuzzer.writeString(out, 2, apiKey);
    BodyFuzzer.writeString(out, 3, START);
    BodyFuzzer.writeString(out, 4, namespace);
    return out.toByteArray();
  }
}
