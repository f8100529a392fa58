package dev.temporalrbac.proxy.config;

import dev.temporalrbac.proxy.server.EnforcementMode;
import dev.temporalrbac.proxy.server.UpstreamCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code serve} needs, validated. Built by {@link ConfigLoader} from a YAML file and
 * flags (flags win). Immutable.
 *
 * @param listen where callers connect
 * @param upstream the Temporal frontend or Cloud Ops endpoint, {@code host:port}
 * @param upstreamAuthority {@code :authority} to send upstream; null means the target's host
 * @param upstreamTls TLS to the upstream; null for plaintext
 * @param downstreamTls TLS for callers; null for plaintext. Its {@code ca} is
 *     {@code tls.client_ca}, the roots callers' client certificates are verified against
 * @param policy where the policy in force comes from (a file, a directory or a URL), watched for
 *     changes
 * @param shadowPolicy where the shadow policy comes from; null when none is configured
 * @param reloadInterval how often the policy sources are checked
 * @param admin the admin HTTP address (metrics, health, readiness)
 * @param mode enforce, or dry run
 * @param limits what one caller, connection or call may make the proxy hold
 * @param upstreamHealth how a dead, frozen or black-holed upstream is noticed and left
 * @param policySettle a changed policy file is installed only after it has read the same twice,
 *     this far apart (a file still being written is never installed half-way); file sources only
 * @param credentials what goes upstream as {@code authorization}
 * @param audit which decisions are written to the audit log
 * @param auditFile the audit log file; null for standard output
 * @param auditFormat how audit records are written: {@code json} (the proxy's own fields) or
 *     {@code cloud} (Temporal Cloud's audit log record shape)
 * @param shutdownGrace how long in-flight calls may finish after SIGTERM
 * @param identity the credentials accepted besides API keys (JWTs, client certificates)
 */
public record ProxyConfig(
    InetSocketAddress listen,
    String upstream,
    String upstreamAuthority,
    TlsFiles upstreamTls,
    TlsFiles downstreamTls,
    PolicySourceSettings policy,
    PolicySourceSettings shadowPolicy,
    Duration reloadInterval,
    InetSocketAddress admin,
    EnforcementMode mode,
    Limits limits,
    UpstreamHealth upstreamHealth,
    Duration policySettle,
    UpstreamCredentials credentials,
    String audit,
    Path auditFile,
    String auditFormat,
    Duration shutdownGrace,
    IdentitySettings identity) {

  /**
   * Certificate files for one side.
   *
   * @param ca trust roots (upstream side); null for the JVM's defaults
   * @param cert certificate chain (server side, or client certificate upstream); may be null
   * @param key private key for {@code cert}
   * @param serverName name to verify on the upstream certificate; null for the target host
   */
  public record TlsFiles(Path ca, Path cert, Path key, String serverName) {}

  /**
   * Bounds on what callers can make the proxy hold. Every one has a safe default
   * ({@link ConfigLoader}); see the README's "Limits" section for why each default is what it is.
   *
   * @param maxRequestBytes largest request message accepted, after decompression (the Temporal
   *     frontend's own limit is grpc-go's default of 4 MiB)
   * @param maxResponseBytes largest response message accepted from the upstream (history pages
   *     need up to 128 MiB)
   * @param requestBufferBytes global budget of request bytes being buffered across all calls;
   *     past it new requests get RESOURCE_EXHAUSTED before their bytes are buffered
   * @param firstMessageTimeout how long a call may take to send its request message after its
   *     headers (slow senders would otherwise hold budget forever)
   * @param maxConcurrentCallsPerConnection HTTP/2 streams in flight on one connection
   * @param maxHeaderListBytes largest header list (HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE)
   * @param maxResetsPerWindow RST_STREAM frames a client may send per {@code resetWindow} before
   *     the connection is closed with GOAWAY (HTTP/2 Rapid Reset, CVE-2023-44487)
   * @param resetWindow the window {@code maxResetsPerWindow} counts over (whole seconds)
   * @param idleTimeout a connection with no call in flight for this long is closed (GOAWAY); at
   *     least 1s (grpc-java's minimum)
   * @param handshakeTimeout a new connection must finish TLS and the HTTP/2 preface within this
   */
  public record Limits(
      int maxRequestBytes,
      int maxResponseBytes,
      long requestBufferBytes,
      Duration firstMessageTimeout,
      int maxConcurrentCallsPerConnection,
      int maxHeaderListBytes,
      int maxResetsPerWindow,
      Duration resetWindow,
      Duration idleTimeout,
      Duration handshakeTimeout) {}

  /**
   * How the proxy watches its upstream, so that no call waits forever on a dead one and calls
   * pass again soon after it returns.
   *
   * @param keepaliveTime HTTP/2 PING after this long without reads on an upstream connection; at
   *     least 10s (grpc-java's minimum, and the Temporal frontend's permitted ping interval)
   * @param keepaliveTimeout a PING unanswered this long closes the connection (calls on it end
   *     UNAVAILABLE); also the deadline of a readiness probe
   * @param connectTimeout a call that finds no connected upstream waits at most this long for one
   *     (TCP connect plus TLS and HTTP/2 handshakes), then ends UNAVAILABLE
   * @param probeInterval how often readiness is probed and a failed connection retried (the
   *     reconnect backoff never grows past this)
   */
  public record UpstreamHealth(
      Duration keepaliveTime,
      Duration keepaliveTimeout,
      Duration connectTimeout,
      Duration probeInterval) {}
}
