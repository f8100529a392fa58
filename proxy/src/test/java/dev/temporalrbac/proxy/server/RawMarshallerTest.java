package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RawMarshallerTest {
  /** A stream that announces {@code announced} bytes whatever it holds, as a transport's does. */
  private static final class Announcing extends ByteArrayInputStream implements KnownLength {
    private final int announced;

    Announcing(byte[] bytes, int announced) {
      super(bytes);
      this.announced = announced;
    }

    @Override
    public int available() {
      return Math.min(announced, count - pos);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void parsesKnownLengthStreamsExactly() {
    byte[] message = bytes(20_000);
    assertArrayEquals(message, RawMarshaller.INSTANCE.parse(new Announcing(message, message.length)));
  }

  @Test
  void keepsEveryByteWhenAStreamHoldsMoreThanItAnnounced() {
    byte[] message = bytes(1_000);
    assertArrayEquals(message, RawMarshaller.INSTANCE.parse(new Announcing(message, 10)));
  }

  @Test
  void parsesPlainStreams() {
    byte[] message = bytes(3);
    assertArrayEquals(message, RawMarshaller.INSTANCE.parse(new ByteArrayInputStream(message)));
    assertArrayEquals(new byte[0], RawMarshaller.INSTANCE.parse(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void streamsKnowTheirLengthAndDrainThemselvesWhole() throws Exception {
    byte[] message = bytes(9_000);
    InputStream stream = RawMarshaller.INSTANCE.stream(message);
    assertTrue(stream instanceof KnownLength);
    assertEquals(message.length, stream.available());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(message.length, ((Drainable) stream).drainTo(out));
    assertArrayEquals(message, out.toByteArray());
    assertEquals(0, stream.available());
  }

  /** Like grpc's size-enforcing stream: fails with {@code status} on the first read. */
  private static InputStream failingWith(io.grpc.Status status) {
    return new InputStream() {
      @Override
      public int read() {
        throw status.withDescription("over the limit").asRuntimeException();
      }
    };
  }

  @Test
  void aMessageOverTheSizeLimitBecomesTheMarkerNotAnError() {
    byte[] parsed = RawMarshaller.INSTANCE.parse(failingWith(io.grpc.Status.RESOURCE_EXHAUSTED));
    assertTrue(RawMarshaller.tooLarge(parsed));
    assertTrue(!RawMarshaller.tooLarge(RawMarshaller.INSTANCE.parse(
        new ByteArrayInputStream(new byte[0]))), "an empty message is not the marker");
  }

  @Test
  void otherReadFailuresStillFail() {
    io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.grpc.StatusRuntimeException.class,
        () -> RawMarshaller.INSTANCE.parse(failingWith(io.grpc.Status.INTERNAL)));
    assertEquals(io.grpc.Status.Code.INTERNAL, e.getStatus().getCode());
  }
}
