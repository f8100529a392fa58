package dev.temporalrbac.proxy.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test steps it. Not thread-safe beyond a volatile read. */
public final class SteppedClock extends Clock {
  private volatile Instant now;

  public SteppedClock() {
    this(Instant.parse("2026-06-01T00:00:00Z"));
  }

  public SteppedClock(Instant start) {
    this.now = start;
  }

  public void step(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
