package dev.temporalrbac.policy.wire;

import static dev.temporalrbac.policy.wire.WireBytes.concat;
import static dev.temporalrbac.policy.wire.WireBytes.hex;
import static dev.temporalrbac.policy.wire.WireBytes.raw;
import static dev.temporalrbac.policy.wire.WireBytes.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scanner's bounds: fixed-width values that end exactly at the end of the message, and reads
 * that must stop at the end of the given range even when the array holds more bytes after it
 * (a varint or a length that would only complete with those bytes is malformed).
 */
class WireScannerEdgeTest {
  private static final RequestPlan START =
      new PlanCompiler().namespaceScoped(StartWorkflowExecutionRequest.getDescriptor());
  private static final int NS = 1;

  private static List<String> read(byte[] bytes, int offset, int length)
      throws MalformedRequestException {
    RequestFacts facts = new RequestFacts();
    RequestReader.read(START, bytes, offset, length, facts);
    return facts.namespaces();
  }

  @Test
  void fixedWidthValuesMayEndExactlyAtTheEnd() throws Exception {
    byte[] fixed64 = concat(str(NS, "a"), raw(o -> o.writeFixed64(900, 7)));
    assertEquals(List.of("a"), read(fixed64, 0, fixed64.length));
    byte[] fixed32 = concat(str(NS, "b"), raw(o -> o.writeFixed32(900, 7)));
    assertEquals(List.of("b"), read(fixed32, 0, fixed32.length));
    // one byte short of either is truncated, whatever follows in the array
    assertThrows(MalformedRequestException.class, () -> read(fixed64, 0, fixed64.length - 1));
    assertThrows(MalformedRequestException.class, () -> read(fixed32, 0, fixed32.length - 1));
  }

  @Test
  void aVarintDoesNotContinuePastTheRange() throws Exception {
    // unknown varint field 900 whose value's last byte lies just outside the range
    byte[] bytes = concat(str(NS, "a"), hex("a0 38 ff 01"));
    assertEquals(List.of("a"), read(bytes, 0, bytes.length));
    assertThrows(MalformedRequestException.class, () -> read(bytes, 0, bytes.length - 1));
  }

  @Test
  void aTagDoesNotContinuePastTheRange() throws Exception {
    byte[] bytes = concat(str(NS, "a"), hex("a0 38 05"));
    assertEquals(List.of("a"), read(bytes, 0, bytes.length));
    assertThrows(MalformedRequestException.class, () -> read(bytes, 0, bytes.length - 2));
  }

  @Test
  void aLengthMayNotReachPastTheRange() throws Exception {
    byte[] bytes = concat(str(NS, "abc"), hex("00"));
    assertEquals(List.of("abc"), read(bytes, 0, bytes.length - 1));
    assertThrows(MalformedRequestException.class, () -> read(bytes, 0, bytes.length - 2));
    // the same namespace read from the middle of a larger array
    byte[] padded = concat(hex("ff ff"), str(NS, "abc"), hex("ff"));
    assertEquals(List.of("abc"), read(padded, 2, padded.length - 3));
    assertThrows(MalformedRequestException.class, () -> read(padded, 2, padded.length - 4));
  }

  @Test
  void aLengthOfTwoToTheSixtyThreeIsMalformed() {
    // field 900, wire type 2, length varint with the top bit of 64 set
    byte[] bytes = concat(hex("a2 38 80 80 80 80 80 80 80 80 80 01"), new byte[16]);
    assertThrows(MalformedRequestException.class, () -> read(bytes, 0, bytes.length));
  }

  @Test
  void anElevenByteVarintIsMalformedEvenIfItEnds() {
    byte[] bytes = hex("a0 38 80 80 80 80 80 80 80 80 80 80 01");
    assertThrows(MalformedRequestException.class, () -> read(bytes, 0, bytes.length));
    byte[] ten = hex("a0 38 80 80 80 80 80 80 80 80 80 01");
    assertThrows(MalformedRequestException.class, () -> read(ten, 0, ten.length - 1));
  }
}
