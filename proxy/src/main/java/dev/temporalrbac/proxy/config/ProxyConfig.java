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
 * @param downstreamTls TLS for callers; null for plaintext
 * @param policyFile the policy document, watched for changes
 * @param reloadInterval how often the policy file is checked
 * @param admin the admin address (metrics, health, PolicyAdmin)
 * @param mode enforce, or dry run
 * @param maxMessageBytes largest message accepted either way
 * @param maxConcurrentCallsPerConnection cap on calls in flight on one connection
 * @param credentials what goes upstream as {@code authorization}
 * @param audit which decisions are written to the audit log
 * @param auditFile the audit log file; null for standard output
 * @param shutdownGrace how long in-flight calls may finish after SIGTERM
 */
public record ProxyConfig(
    InetSocketAddress listen,
    String upstream,
    String upstreamAuthority,
    TlsFiles upstreamTls,
    TlsFiles downstreamTls,
    Path policyFile,
    Duration reloadInterval,
    InetSocketAddress admin,
    EnforcementMode mode,
    int maxMessageBytes,
    int maxConcurrentCallsPerConnection,
    UpstreamCredentials credentials,
    String audit,
    Path auditFile,
    Duration shutdownGrace) {

  /**
   * Certificate files for one side.
   *
   * @param ca trust roots (upstream side); null for the JVM's defaults
   * @param cert certificate chain (server side, or client certificate upstream); may be null
   * @param key private key for {@code cert}
   * @param serverName name to verify on the upstream certificate; null for the target host
   */
  public record TlsFiles(Path ca, Path cert, Path key, String serverName) {}
}
