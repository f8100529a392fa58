package dev.temporalrbac.policy.wire;

/** Receives the facts a {@link WireScanner} reads; values are slices of the scanned buffer. */
interface FactSink {
  /**
   * One occurrence of a string fact, as a slice {@code [start, end)} of the scanned buffer (not
   * yet checked to be UTF-8). Called for every occurrence, including ones a parser overwrites.
   */
  void acceptString(Fact fact, byte[] buffer, int start, int end) throws MalformedRequestException;

  /** A presence fact's field occurs. */
  void markPresent(Fact fact);
}
