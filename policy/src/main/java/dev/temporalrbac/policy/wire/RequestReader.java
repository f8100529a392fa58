package dev.temporalrbac.policy.wire;

/**
 * Reads a serialized request into {@link RequestFacts} by its {@link RequestPlan}. The scan state
 * is per thread, so any thread may call this concurrently without locks, and a steady-state read
 * allocates only the fact values it returns.
 */
public final class RequestReader {
  private static final ThreadLocal<WireScanner> SCANNERS = ThreadLocal.withInitial(WireScanner::new);

  private RequestReader() {}

  /**
   * Adds the facts of {@code bytes[offset, offset+length)} to {@code out}.
   *
   * @throws MalformedRequestException when the bytes are not a valid encoding of the request type
   *     in a part the plan reads (parts it skips are only checked for framing)
   */
  public static void read(RequestPlan plan, byte[] bytes, int offset, int length, RequestFacts out)
      throws MalformedRequestException {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    SCANNERS.get().scan(bytes, offset, length, plan.root, out);
  }

  public static void read(RequestPlan plan, byte[] bytes, RequestFacts out)
      throws MalformedRequestException {
    read(plan, bytes, 0, bytes.length, out);
  }
}
