package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.proxy.mint.TokenMinter;
import io.grpc.Metadata;
import java.util.Objects;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the proxy sends upstream as {@code authorization}: the caller's own header
 * ({@link Mode#PASSTHROUGH}), the proxy's API key instead ({@link Mode#REPLACE}), nothing
 * ({@link Mode#STRIP}), or a token the proxy mints for the decided principal
 * ({@link Mode#MINT}). Also drops the headers that belong to one HTTP/2 hop. Immutable.
 */
public final class UpstreamCredentials {
  /** How the caller's credentials travel upstream. */
  public enum Mode {
    PASSTHROUGH,
    REPLACE,
    STRIP,
    MINT
  }

  /** Extra data Temporal's frontend passes to its claim mapper beside the token. */
  static final Metadata.Key<String> AUTHORIZATION_EXTRAS =
      Metadata.Key.of("authorization-extras", Metadata.ASCII_STRING_MARSHALLER);
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
  /** Mint mode's minter; null in every other mode. */
  private final TokenMinter minter;

  private UpstreamCredentials(Mode mode, String apiKey, TokenMinter minter) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.replacement = apiKey == null ? null : "Bearer " + apiKey;
    this.minter = minter;
    if ((mode == Mode.REPLACE) != (apiKey != null)) {
      throw new IllegalArgumentException("an API key goes with replace mode, and only with it");
    }
    if ((mode == Mode.MINT) != (minter != null)) {
      throw new IllegalArgumentException("a token minter goes with mint mode, and only with it");
    }
  }

  public static UpstreamCredentials passthrough() {
    return new UpstreamCredentials(Mode.PASSTHROUGH, null, null);
  }

  public static UpstreamCredentials strip() {
    return new UpstreamCredentials(Mode.STRIP, null, null);
  }

  /** Sends {@code apiKey} upstream in place of whatever the caller sent. */
  public static UpstreamCredentials replace(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("replace mode needs a non-empty API key");
    }
    return new UpstreamCredentials(Mode.REPLACE, apiKey.strip(), null);
  }

  /** Sends a token {@code minter} mints for each call's principal, never the caller's. */
  public static UpstreamCredentials mint(TokenMinter minter) {
    return new UpstreamCredentials(Mode.MINT, null, Objects.requireNonNull(minter, "minter"));
  }

  public Mode mode() {
    return mode;
  }

  /** The public JWKS of the minting key, as JSON, in mint mode; null in the other modes. */
  public String publicJwks() {
    return minter == null ? null : minter.publicJwks();
  }

  /**
   * As {@link #upstreamHeaders(Metadata)}, for a call decided by {@code decision}: in mint mode
   * the token minted for its rights goes upstream, or no {@code authorization} at all when the
   * decision holds no rights (a method open to anyone, decided without a caller). A dry run's
   * denied call of a known principal is forwarded with that principal's token, so the upstream's
   * own check sees who it is. The other modes do exactly what {@link #upstreamHeaders(Metadata)}
   * does.
   */
  Metadata upstreamHeaders(Metadata inbound, Decision decision) {
    upstreamHeaders(inbound);
    if (minter != null && decision.rights() != null) {
      inbound.put(AUTHORIZATION, minter.authorization(decision.rights()));
    }
    return inbound;
  }

  /**
   * Turns the headers a call arrived with into the headers to send upstream, in place: the
   * values are never decoded or copied, only the hop-by-hop ones and, unless passing through,
   * {@code authorization} and {@code authorization-extras} (which Temporal hands to its claim
   * mapper with the token) are removed. The caller gives up {@code inbound}.
   */
  Metadata upstreamHeaders(Metadata inbound) {
    for (Metadata.Key<String> key : HOP_BY_HOP) {
      if (inbound.containsKey(key)) {
        inbound.discardAll(key);
      }
    }
    if (mode != Mode.PASSTHROUGH) {
      inbound.discardAll(AUTHORIZATION);
      inbound.discardAll(AUTHORIZATION_EXTRAS);
    }
    if (mode == Mode.REPLACE) {
      inbound.put(AUTHORIZATION, replacement);
    }
    return inbound;
  }

  @Override
  public String toString() {
    return "UpstreamCredentials[" + mode + (minter == null ? "" : ", " + minter) + "]";
  }
}
