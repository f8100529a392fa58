package dev.temporalrbac.bench.attack;

import dev.temporalrbac.bench.load.LoadHarness;
import io.grpc.MethodDescriptor;

/**
 * Requests and responses as raw bytes (the load harness's marshaller): the attacks send exactly
 * the bytes they built.
 */
final class Bytes {
  private Bytes() {}

  static MethodDescriptor<byte[], byte[]> unary(String fullMethod) {
    return MethodDescriptor.newBuilder(LoadHarness.BYTES, LoadHarness.BYTES)
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethod).build();
  }
}
