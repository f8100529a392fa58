package dev.temporalrbac.proxy.config;

import dev.temporalrbac.proxy.server.UpstreamCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code proxy.yaml} and flags into a {@link ProxyConfig}. Every setting has one dotted key
 * in the file (e.g. {@code upstream.tls.ca}) and one flag ({@code --upstream-ca}); flags win.
 * Unknown keys, bad values and missing required settings are all reported at once.
 */
public final class ConfigLoader {
  /** Flag name -> dotted key in the YAML file, in the order usage lists them. */
  public static final Map<String, String> FLAGS = flags(
      "listen", "listen",
      "upstream", "upstream.target",
      "upstream-authority", "upstream.authority",
      "upstream-tls", "upstream.tls.enabled",
      "upstream-ca", "upstream.tls.ca",
      "upstream-cert", "upstream.tls.cert",
      "upstream-key", "upstream.tls.key",
      "upstream-server-name", "upstream.tls.server_name",
      "credentials", "upstream.credentials.mode",
      "upstream-api-key-file", "upstream.credentials.api_key_file",
      "upstream-api-key-env", "upstream.credentials.api_key_env",
      "upstream-token-issuer", MintConfigReader.ISSUER,
      "upstream-token-audience", MintConfigReader.AUDIENCE,
      "upstream-token-ttl", MintConfigReader.TOKEN_TTL,
      "upstream-signing-key-file", MintConfigReader.SIGNING_KEY_FILE,
      "tls-cert", "tls.cert",
      "tls-key", "tls.key",
      "tls-client-ca", "tls.client_ca",
      "tls-client-auth", "tls.client_auth",
      "mtls-principal-from", "identity.mtls.principal_from",
      "jwks", "identity.jwt.jwks",
      "jwt-issuer", "identity.jwt.issuer",
      "jwt-audience", "identity.jwt.audience",
      "jwt-clock-skew", "identity.jwt.clock_skew",
      "jwt-algorithms", "identity.jwt.algorithms",
      "jwks-refresh-interval", "identity.jwt.refresh_interval",
      "jwks-refetch-interval", "identity.jwt.unknown_key_refetch_interval",
      "jwks-fetch-timeout", "identity.jwt.fetch_timeout",
      "jwks-allow-insecure", "identity.jwt.allow_insecure_jwks",
      "jwt-subject-claim", "identity.jwt.subject_claim",
      "jwt-groups-claim", "identity.jwt.groups_claim",
      "jwt-permissions-claim", "identity.jwt.permissions_claim",
      "jwt-permissions-regex", "identity.jwt.permissions_regex",
      "jwt-default-role", "identity.jwt.default_role",
      "jwt-max-verifications-per-second", "identity.jwt.max_verifications_per_second",
      "policy", "policy.file",
      "policy-dir", "policy.directory",
      "policy-url", "policy.url",
      "policy-signature-url", "policy.signature.url",
      "policy-signature-key", "policy.signature.public_key",
      "policy-signature-jwks", "policy.signature.jwks",
      "policy-fetch-timeout", "policy.fetch_timeout",
      "policy-max-bytes", "policy.max_bytes",
      "reload-interval", "policy.reload_interval",
      "policy-settle", "policy.settle",
      "shadow-policy", "policy.shadow.file",
      "shadow-policy-dir", "policy.shadow.directory",
      "shadow-policy-url", "policy.shadow.url",
      "shadow-policy-signature-url", "policy.shadow.signature.url",
      "shadow-policy-signature-key", "policy.shadow.signature.public_key",
      "shadow-policy-signature-jwks", "policy.shadow.signature.jwks",
      "admin", "admin",
      "mode", "mode",
      "max-request-bytes", "limits.max_request_bytes",
      "max-response-bytes", "limits.max_response_bytes",
      "request-buffer-bytes", "limits.request_buffer_bytes",
      "first-message-timeout", "limits.first_message_timeout",
      "max-concurrent-calls-per-connection", "limits.max_concurrent_calls_per_connection",
      "max-header-list-bytes", "limits.max_header_list_bytes",
      "max-resets-per-window", "limits.max_resets_per_window",
      "reset-window", "limits.reset_window",
      "idle-timeout", "limits.idle_timeout",
      "handshake-timeout", "limits.handshake_timeout",
      "upstream-keepalive-time", "upstream.keepalive_time",
      "upstream-keepalive-timeout", "upstream.keepalive_timeout",
      "upstream-connect-timeout", "upstream.connect_timeout",
      "upstream-probe-interval", "upstream.probe_interval",
      "audit", "audit.level",
      "audit-file", "audit.file",
      "audit-format", "audit.format",
      "shutdown-grace", "shutdown_grace");

  /**
   * The Temporal frontend's request limit: its gRPC server sets no receive limit of its own
   * ({@code service/frontend/fx.go}), so grpc-go's default of 4 MiB applies.
   */
  /**
   * The flags that say which credentials identify callers ({@code identity.*},
   * {@code tls.client_*}) plus {@code tls.cert}/{@code tls.key}, which client certificates need:
   * what {@code explain} accepts besides {@code --config} to decide as {@code serve} does.
   */
  public static final Set<String> IDENTITY_FLAGS = identityFlags();

  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  private final Map<String, String> env;
  private final List<String> errors = new ArrayList<>();
  /** The file read, and the line of each setting whose value came from it (not a flag). */
  private Path file;
  private final Map<String, Integer> fileLines = new LinkedHashMap<>();

  /** {@code env} is where {@code api_key_env} is looked up (the process environment in production). */
  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Builds the configuration from an optional file and flag values (flag name -> value).
   *
   * @throws ConfigException listing every problem found
   */
  public ProxyConfig load(Path file, Map<String, String> flagValues) throws ConfigException {
    ProxyConfig config = build(settings(file, flagValues));
    if (!errors.isEmpty()) {
      throw rejected();
    }
    return config;
  }

  /**
   * Only the identity settings, for {@code explain}: read and checked as {@link #load} reads
   * them, but without requiring a policy file or the listener's certificate and key ({@code
   * explain} takes its policy from {@code --policy} and never listens).
   *
   * @throws ConfigException listing every problem found
   */
  public IdentitySettings loadIdentity(Path file, Map<String, String> flagValues)
      throws ConfigException {
    IdentitySettings identity = new IdentityConfigReader(errors)
        .read(settings(file, flagValues), true);
    if (!errors.isEmpty()) {
      throw rejected();
    }
    return identity;
  }

  /** Every error found, in the file's line order and without follow-ons ({@link ConfigErrors}). */
  private ConfigException rejected() {
    return new ConfigException(ConfigErrors.report(errors, file, fileLines, FLAGS.values()));
  }

  private Map<String, String> settings(Path file, Map<String, String> flagValues) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (file != null) {
      readFile(file, settings);
    }
    flagValues.forEach((flag, value) -> {
      String key = FLAGS.get(flag);
      if (key == null) {
        errors.add("unknown flag --" + flag);
      } else {
        settings.put(key, value);
        fileLines.remove(key); // the flag's value is the one in force
      }
    });
    return settings;
  }

  private void readFile(Path file, Map<String, String> settings) {
    Object root;
    try {
      String text = Files.readString(file);
      root = new Yaml(new LoaderOptions()).load(text);
      this.file = file;
      fileLines.putAll(ConfigErrors.lines(text));
    } catch (IOException e) {
      errors.add("cannot read the config file " + FileProblem.describe(file, e));
      return;
    } catch (YAMLException e) {
      errors.add(file + ": not valid YAML: " + e.getMessage());
      return;
    }
    if (root == null) {
      return;
    }
    flatten(file, "", root, settings);
  }

  private void flatten(Path file, String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = prefix.isEmpty() ? String.valueOf(entry.getKey())
            : prefix + "." + entry.getKey();
        flatten(file, key, entry.getValue(), out);
      }
    } else if (!FLAGS.containsValue(prefix)) {
      errors.add(file + ": unknown setting '" + prefix + "' (known: "
          + String.join(", ", FLAGS.values()) + ")");
    } else if (node instanceof List<?> list) {
      if (!IdentityConfigReader.LIST_KEYS.contains(prefix)) {
        errors.add(file + ": " + prefix + " takes one value, not a list");
      } else if (list.stream().anyMatch(item -> item instanceof Map || item instanceof List)) {
        errors.add(file + ": " + prefix + " must be a list of names");
      } else {
        out.put(prefix, list.stream().map(String::valueOf)
            .collect(Collectors.joining(",")));
      }
    } else {
      out.put(prefix, RelativePaths.fromConfigFile(file, prefix,
          node == null ? "" : String.valueOf(node)));
    }
  }

  private ProxyConfig build(Map<String, String> s) {
    String upstream = s.get("upstream.target");
    if (upstream != null && upstream.isBlank()) {
      upstream = null;
    }
    PolicySourceConfigReader policies = new PolicySourceConfigReader(errors);
    PolicySourceSettings policy = policies.policy(s);
    PolicySourceSettings shadowPolicy = policies.shadow(s);
    boolean upstreamTls = parse(s, "upstream.tls.enabled", "false", SettingValues::bool);
    ProxyConfig.TlsFiles upTls = upstreamTls ? new ProxyConfig.TlsFiles(path(s, "upstream.tls.ca"),
        path(s, "upstream.tls.cert"), path(s, "upstream.tls.key"),
        s.get("upstream.tls.server_name")) : null;
    if (!upstreamTls && (s.containsKey("upstream.tls.ca") || s.containsKey("upstream.tls.cert")
        || s.containsKey("upstream.tls.key") || s.containsKey("upstream.tls.server_name"))) {
      errors.add("upstream TLS settings are set but upstream.tls.enabled is not true");
    }
    if (upTls != null && (upTls.cert() == null) != (upTls.key() == null)) {
      errors.add("an upstream client certificate needs both upstream.tls.cert and upstream.tls.key");
    }
    Path cert = path(s, "tls.cert");
    Path key = path(s, "tls.key");
    if ((cert == null) != (key == null)) {
      errors.add("downstream TLS needs both tls.cert and tls.key");
    }
    IdentitySettings identity = new IdentityConfigReader(errors)
        .read(s, cert != null && key != null);
    ProxyConfig.TlsFiles downTls = cert == null ? null
        : new ProxyConfig.TlsFiles(path(s, "tls.client_ca"), cert, key, null);
    String audit = s.getOrDefault("audit.level", "deny").toLowerCase(Locale.ROOT);
    if (!List.of("deny", "all", "off").contains(audit)) {
      errors.add("audit.level must be deny, all or off, not '" + audit + "'");
    }
    String auditFormat = s.getOrDefault("audit.format", "json").strip().toLowerCase(Locale.ROOT);
    if (!List.of("json", "cloud").contains(auditFormat)) {
      errors.add("audit.format must be json or cloud, not '" + auditFormat + "'");
    }
    return new ProxyConfig(
        parse(s, "listen", "0.0.0.0:7233", SettingValues::address),
        upstream,
        s.get("upstream.authority"),
        upTls,
        downTls,
        policy,
        shadowPolicy,
        parse(s, "policy.reload_interval", "2s", SettingValues::duration),
        parse(s, "admin", "127.0.0.1:9090", SettingValues::address),
        parse(s, "mode", "enforce", SettingValues::mode),
        limits(s),
        upstreamHealth(s),
        parse(s, "policy.settle", "1s", SettingValues::duration),
        credentials(s),
        audit,
        path(s, "audit.file"),
        auditFormat,
        parse(s, "shutdown_grace", "30s", SettingValues::duration),
        identity);
  }

  /** Defaults: see {@link ProxyConfig.Limits} and the README's "Limits" section. */
  private ProxyConfig.Limits limits(Map<String, String> s) {
    ProxyConfig.Limits limits = new ProxyConfig.Limits(
        parse(s, "limits.max_request_bytes", String.valueOf(DEFAULT_MAX_REQUEST_BYTES),
            SettingValues::positive),
        parse(s, "limits.max_response_bytes", String.valueOf(128 * 1024 * 1024),
            SettingValues::positive),
        parse(s, "limits.request_buffer_bytes", String.valueOf(256L * 1024 * 1024),
            text -> SettingValues.range(text, 1, Long.MAX_VALUE)),
        parse(s, "limits.first_message_timeout", "10s", SettingValues::positiveDuration),
        parse(s, "limits.max_concurrent_calls_per_connection", "10000", SettingValues::positive),
        parse(s, "limits.max_header_list_bytes", String.valueOf(32 * 1024),
            SettingValues::positive),
        parse(s, "limits.max_resets_per_window", "500", SettingValues::positive),
        parse(s, "limits.reset_window", "10s", SettingValues::wholeSeconds),
        parse(s, "limits.idle_timeout", "5m",
            SettingValues.atLeast(Duration.ofSeconds(1), "grpc-java's shortest idle timeout")),
        parse(s, "limits.handshake_timeout", "10s", SettingValues::positiveDuration));
    if (limits.requestBufferBytes() < limits.maxRequestBytes()) {
      errors.add("limits.request_buffer_bytes (" + limits.requestBufferBytes()
          + ") must be at least limits.max_request_bytes (" + limits.maxRequestBytes() + ")");
    }
    return limits;
  }

  private ProxyConfig.UpstreamHealth upstreamHealth(Map<String, String> s) {
    return new ProxyConfig.UpstreamHealth(
        parse(s, "upstream.keepalive_time", "10s",
            SettingValues.atLeast(Duration.ofSeconds(10), "grpc-java's shortest keepalive time")),
        parse(s, "upstream.keepalive_timeout", "5s", SettingValues::positiveDuration),
        parse(s, "upstream.connect_timeout", "5s", SettingValues::positiveDuration),
        parse(s, "upstream.probe_interval", "1s", SettingValues::positiveDuration));
  }

  private UpstreamCredentials credentials(Map<String, String> s) {
    String mode = s.getOrDefault("upstream.credentials.mode", "passthrough").toLowerCase(Locale.ROOT);
    UpstreamCredentials minting = new MintConfigReader(errors).read(s, mode); // null unless mint
    switch (mode) {
      case "passthrough":
        return UpstreamCredentials.passthrough();
      case "strip":
        return UpstreamCredentials.strip();
      case "replace":
        String key = replacementKey(s);
        return key == null ? UpstreamCredentials.strip() : UpstreamCredentials.replace(key);
      case "mint":
        return minting;
      default:
        errors.add("upstream.credentials.mode must be passthrough, replace, strip or mint, not '"
            + mode + "'");
        return UpstreamCredentials.strip();
    }
  }

  /** The proxy's own API key for replace mode, from a file or an environment variable. */
  private String replacementKey(Map<String, String> s) {
    String file = s.get("upstream.credentials.api_key_file");
    String var = s.get("upstream.credentials.api_key_env");
    if ((file == null) == (var == null)) {
      errors.add("replace mode needs exactly one of upstream.credentials.api_key_file and"
          + " upstream.credentials.api_key_env");
      return null;
    }
    String key;
    if (file != null) {
      try {
        key = Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        errors.add("cannot read the upstream API key file "
            + FileProblem.describe(Path.of(file), e));
        return null;
      }
    } else {
      key = env.get(var);
    }
    if (key == null || key.isBlank()) {
      errors.add("the upstream API key (" + (file != null ? "file " + file : "$" + var)
          + ") is empty");
      return null;
    }
    return key;
  }

  private <T> T parse(Map<String, String> s, String key, String fallback,
      Function<String, T> parser) {
    return SettingValues.parse(errors, s, key, fallback, parser);
  }

  private static Path path(Map<String, String> s, String key) {
    String value = s.get(key);
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }

  private static Set<String> identityFlags() {
    Set<String> names = new LinkedHashSet<>();
    FLAGS.forEach((flag, key) -> {
      if (key.startsWith("identity.") || key.startsWith("tls.")) {
        names.add(flag);
      }
    });
    return Collections.unmodifiableSet(names);
  }

  private static Map<String, String> flags(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
