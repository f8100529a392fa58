package dev.temporalrbac.proxy.server;

import io.grpc.KnownLength;
import java.io.InputStream;
import java.util.Arrays;

/** {@code length} zero bytes, produced as read; knows its length, as a gRPC message must. */
final class ZeroStream extends InputStream implements KnownLength {
  private int left;

  ZeroStream(int length) {
    left = length;
  }

  @Override
  public int available() {
    return left;
  }

  @Override
  public int read() {
    if (left == 0) {
      return -1;
    }
    left--;
    return 0;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (left == 0) {
      return -1;
    }
    int n = Math.min(len, left);
    Arrays.fill(b, off, off + n, (byte) 0);
    left -= n;
    return n;
  }
}
