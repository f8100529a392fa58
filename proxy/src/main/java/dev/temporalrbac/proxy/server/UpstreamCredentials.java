package dev.temporalrbac.proxy.server;

import io.grpc.Metadata;
import java.util.Objects;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the proxy sends upstream as {@code authorization}: the caller's own header
 * ({@link Mode#PASSTHROUGH}), the proxy's API key instead ({@link Mode#REPLACE}), or nothing
 * ({@link Mode#STRIP}). Also drops the headers that belong to one HTTP/2 hop. Immutable.
 */
public final class UpstreamCredentials {
  /** How the caller's credentials travel upstream. */
  public enum Mode {
    PASSTHROUGH,
    REPLACE,
    STRIP
  }

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Transport-level headers: each hop sets its own. {@code connection} is not listed: HTTP/2
   * forbids it, Netty's header decoder refuses a request that carries it (as it does
   * {@code keep-alive}, {@code transfer-encoding} and {@code upgrade}), so it never reaches the
   * proxy; and grpc logs a WARNING with a stack trace whenever a {@code connection} key is made.
   */
  private static final List<Metadata.Key<String>> HOP_BY_HOP = Stream.of(
      "grpc-encoding", "grpc-accept-encoding", "content-encoding", "content-type", "te",
      "grpc-timeout", "keep-alive", "transfer-encoding", "upgrade", "host")
      .map(name -> Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))
      .collect(Collectors.toUnmodifiableList());

  private final Mode mode;
  private final String replacement;

  private UpstreamCredentials(Mode mode, String apiKey) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.replacement = apiKey == null ? null : "Bearer " + apiKey;
    if ((mode == Mode.REPLACE) != (apiKey != null)) {
      throw new IllegalArgumentException("an API key goes with replace mode, and only with it");
    }
  }

  public static UpstreamCredentials passthrough() {
    return new UpstreamCredentials(Mode.PASSTHROUGH, null);
  }

  public static UpstreamCredentials strip() {
    return new UpstreamCredentials(Mode.STRIP, null);
  }

  /** Sends {@code apiKey} upstream in place of whatever the caller sent. */
  public static UpstreamCredentials replace(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("replace mode needs a non-empty API key");
    }
    return new UpstreamCredentials(Mode.REPLACE, apiKey.strip());
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Turns the headers a call arrived with into the headers to send upstream, in place: the
   * values are never decoded or copied, only the hop-by-hop ones and, unless passing through,
   * {@code authorization} are removed. The caller gives up {@code inbound}.
   */
  Metadata upstreamHeaders(Metadata inbound) {
    for (Metadata.Key<String> key : HOP_BY_HOP) {
      if (inbound.containsKey(key)) {
        inbound.discardAll(key);
      }
    }
    if (mode != Mode.PASSTHROUGH) {
      inbound.discardAll(AUTHORIZATION);
    }
    if (mode == Mode.REPLACE) {
      inbound.put(AUTHORIZATION, replacement);
    }
    return inbound;
  }

  @Override
  public String toString() {
    return "UpstreamCredentials[" + mode + "]";
  }
}
