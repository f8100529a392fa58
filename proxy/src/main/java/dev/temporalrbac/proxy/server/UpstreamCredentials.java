package dev.temporalrbac.proxy.server;

import io.grpc.Metadata;
import java.util.Objects;
import java.util.Set;

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

  /** Transport-level headers: each hop sets its own. */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "grpc-encoding", "grpc-accept-encoding", "content-encoding", "content-type", "te",
      "grpc-timeout", "connection", "keep-alive", "transfer-encoding", "upgrade", "host");

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

  /** The headers to send upstream for a call that arrived with {@code inbound}. */
  Metadata upstreamHeaders(Metadata inbound) {
    Metadata out = new Metadata();
    for (String name : inbound.keys()) {
      if (HOP_BY_HOP.contains(name) || (mode != Mode.PASSTHROUGH && name.equals("authorization"))) {
        continue;
      }
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
        for (byte[] value : inbound.getAll(key)) {
          out.put(key, value);
        }
      } else {
        Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
        for (String value : inbound.getAll(key)) {
          out.put(key, value);
        }
      }
    }
    if (mode == Mode.REPLACE) {
      out.put(AUTHORIZATION, replacement);
    }
    return out;
  }

  @Override
  public String toString() {
    return "UpstreamCredentials[" + mode + "]";
  }
}
