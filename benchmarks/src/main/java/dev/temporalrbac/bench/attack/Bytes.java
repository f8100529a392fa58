package dev.temporalrbac.bench.attack;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Requests and responses as raw bytes: the attacks send exactly the bytes they built. */
final class Bytes {
  static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private Bytes() {}

  static MethodDescriptor<byte[], byte[]> unary(String fullMethod) {
    return MethodDescriptor.newBuilder(MARSHALLER, MARSHALLER)
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethod).build();
  }
}
