package dev.temporalrbac.proxy.server;

import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A client-side "gzip" that sends the bytes it is given as they are, so a test can send bytes it
 * gzipped itself (a gzip bomb: a small message that inflates to far more than any limit).
 */
final class PrecompressedGzip implements Compressor {
  private PrecompressedGzip() {}

  /** A registry whose only compressor is this one, for a channel's {@code compressorRegistry}. */
  static CompressorRegistry registry() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(new PrecompressedGzip());
    return registry;
  }

  @Override
  public String getMessageEncoding() {
    return "gzip";
  }

  @Override
  public OutputStream compress(OutputStream os) {
    return os;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  /** {@code length} zero bytes gzipped: about a thousandth of that on the wire. */
  static byte[] gzipZeros(long length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
      byte[] zeros = new byte[64 * 1024];
      for (long written = 0; written < length; written += zeros.length) {
        gzip.write(zeros);
      }
    }
    return out.toByteArray();
  }
}
