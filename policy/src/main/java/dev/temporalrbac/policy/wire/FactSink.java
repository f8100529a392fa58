package dev.temporalrbac.policy.wire;

/** Receives the facts a {@link WireScanner} reads; values are slices of the scanned buffer. */
interface FactSink {
  /** A string fact's final value (after last-wins), as a UTF-8 slice {@code [start, end)}. */
  void acceptString(Fact fact, byte[] buffer, int start, int end) throws MalformedRequestException;

  /** A presence fact's field occurs. */
  void markPresent(Fact fact);
}
