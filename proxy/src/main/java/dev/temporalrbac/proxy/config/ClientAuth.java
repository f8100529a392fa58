package dev.temporalrbac.proxy.config;

/**
 * Whether callers' TLS connections must present a client certificate ({@code tls.client_auth}).
 * A certificate that is presented is always verified against {@code tls.client_ca}; the handshake
 * fails otherwise.
 */
public enum ClientAuth {
  /** No certificate is asked for. */
  NONE,
  /** A certificate is asked for; a connection without one may still identify by bearer token. */
  OPTIONAL,
  /** A connection without a verified certificate is refused during the handshake. */
  REQUIRE
}
