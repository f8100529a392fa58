package dev.temporalrbac.proxy.server;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Messages as the bytes they arrived as: the proxy forwards them without parsing them. Both
 * directions avoid grpc's generic stream copying (an 8 KiB scratch buffer per message): parsing
 * reads exactly the known length into an array of that size, and the stream handed to gRPC
 * knows its length and drains itself straight into the transport.
 *
 * <p>A message that inflates past the transport's {@code maxInboundMessageSize} makes grpc's
 * size-enforcing stream throw RESOURCE_EXHAUSTED from inside {@link #parse}; grpc would answer
 * that UNKNOWN "Application error processing RPC". Instead, {@link #parse} returns the
 * {@link #tooLarge} marker, so the call can be ended RESOURCE_EXHAUSTED naming the setting.
 */
public enum RawMarshaller implements Marshaller<byte[]> {
  INSTANCE;

  /** The marker for a message over the size limit; compared by identity, never forwarded. */
  private static final byte[] TOO_LARGE = new byte[0];

  /** True for the marker {@link #parse} returns instead of a message over the size limit. */
  static boolean tooLarge(byte[] message) {
    return message == TOO_LARGE;
  }

  @Override
  public InputStream stream(byte[] value) {
    return new MessageStream(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try {
      if (stream instanceof KnownLength) {
        int length = stream.available();
        byte[] message = stream.readNBytes(length);
        int next = message.length == length ? stream.read() : -1;
        if (next == -1) {
          return message;
        }
        // More bytes than announced: keep them all, in order.
        byte[] rest = stream.readAllBytes();
        byte[] whole = new byte[message.length + 1 + rest.length];
        System.arraycopy(message, 0, whole, 0, message.length);
        whole[message.length] = (byte) next;
        System.arraycopy(rest, 0, whole, message.length + 1, rest.length);
        return whole;
      }
      return stream.readAllBytes();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return TOO_LARGE;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message stream that tells gRPC its length and writes itself out in one go. */
  private static final class MessageStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    MessageStream(byte[] message) {
      super(message);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
