package dev.temporalrbac.policy.identity.jwt;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/** The JWKS, fetched in the background. Placeholder while issue 10 is being built. */
public final class JwksKeys implements AutoCloseable {
  public JwksKeys(JwtSettings settings, Clock clock) {}

  public void loadInitial() throws IOException {
    throw new IOException("JWT verification is not built yet");
  }

  public void start(ScheduledExecutorService scheduler) {}

  public Instant lastLoaded() {
    return Instant.EPOCH;
  }

  public String lastError() {
    return "not built yet";
  }

  @Override
  public void close() {}
}
