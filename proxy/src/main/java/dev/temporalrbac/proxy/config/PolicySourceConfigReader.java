package dev.temporalrbac.proxy.config;

import static dev.temporalrbac.proxy.config.SettingValues.optional;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the policy source settings ({@code policy.file | directory | url},
 * {@code policy.signature.*}, {@code policy.fetch_timeout}, {@code policy.max_bytes}) and the
 * shadow policy's ({@code policy.shadow.*}) from the flattened settings {@link ConfigLoader}
 * collected. Every problem is appended to the loader's error list. Not thread-safe.
 */
final class PolicySourceConfigReader {
  static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
  static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
  static final String SHADOW = "policy.shadow.";

  private final List<String> errors;
  private Duration fetchTimeout;
  private long maxBytes;

  /** {@code errors} is the loader's list; problems are appended to it. */
  PolicySourceConfigReader(List<String> errors) {
    this.errors = errors;
  }

  /** The enforced policy's source; exactly one of file, directory and url is required. */
  PolicySourceSettings policy(Map<String, String> s) {
    return read(s, "policy.", true);
  }

  /** The shadow policy's source, or null when none of {@code policy.shadow.*} is set. */
  PolicySourceSettings shadow(Map<String, String> s) {
    boolean any = s.entrySet().stream()
        .anyMatch(e -> e.getKey().startsWith(SHADOW) && !e.getValue().isBlank());
    return any ? read(s, SHADOW, false) : null;
  }

  private PolicySourceSettings read(Map<String, String> s, String prefix, boolean enforced) {
    List<PolicySourceSettings.Kind> kinds = new ArrayList<>();
    for (PolicySourceSettings.Kind kind : PolicySourceSettings.Kind.values()) {
      if (optional(s, prefix + kind.key()) != null) {
        kinds.add(kind);
      }
    }
    String which = prefix + "file (--" + flag(prefix, "") + "), " + prefix + "directory (--"
        + flag(prefix, "-dir") + ") or " + prefix + "url (--" + flag(prefix, "-url") + ")";
    if (kinds.size() != 1) {
      errors.add((enforced ? "the policy" : "the shadow policy") + " needs exactly one of "
          + which + (kinds.isEmpty() ? "" : "; " + kinds.size() + " are set"));
      return null;
    }
    PolicySourceSettings.Kind kind = kinds.get(0);
    String location = optional(s, prefix + kind.key());
    String publicKey = optional(s, prefix + "signature.public_key");
    String jwks = optional(s, prefix + "signature.jwks");
    String signatureUrl = optional(s, prefix + "signature.url");
    boolean signed = publicKey != null || jwks != null;
    if (publicKey != null && jwks != null) {
      errors.add("set one of " + prefix + "signature.public_key and " + prefix
          + "signature.jwks, not both");
    }
    if (signatureUrl != null && !signed) {
      errors.add(prefix + "signature.url is set but neither " + prefix + "signature.public_key"
          + " nor " + prefix + "signature.jwks: nothing would check the signature");
    }
    if (kind == PolicySourceSettings.Kind.URL) {
      location = url(prefix + "url", location);
      if (signed) {
        signatureUrl = url(prefix + "signature.url",
            signatureUrl == null && location != null ? withJws(location) : signatureUrl);
      }
    } else if (signatureUrl != null) {
      errors.add(prefix + "signature.url is for a url source; a policy file's signature is"
          + " <file>.jws beside it, a directory's is policy.jws in it");
      signatureUrl = null;
    }
    if (jwks != null && jwks.contains("://")) {
      url(prefix + "signature.jwks", jwks);
    }
    if (fetchTimeout == null) { // shared by both policies: read (and reported) once
      fetchTimeout = parse(s, "policy.fetch_timeout", "5s", SettingValues::positiveDuration);
      maxBytes = parse(s, "policy.max_bytes", String.valueOf(DEFAULT_MAX_BYTES),
          text -> SettingValues.range(text, 1, Integer.MAX_VALUE - 8));
    }
    return new PolicySourceSettings(kind, location, signatureUrl, publicKey, jwks, fetchTimeout,
        maxBytes);
  }

  /**
   * An http(s) URL with a host and no user info; plain http only to a loopback host, signed or
   * not (a signature cannot tell an older signed version replayed on the path from the newest).
   * Null (with an error) otherwise.
   */
  private String url(String key, String text) {
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      errors.add(key + ": not a valid URL: " + JwksLocation.shown(text));
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      errors.add(key + ": expected an http(s) URL with a host, got " + JwksLocation.shown(text));
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      errors.add(key + ": credentials in the URL are not sent; the proxy sends no Authorization"
          + " header, so remove the user info from " + JwksLocation.shown(text) + " and let the"
          + " server admit the proxy another way (a token in the query, mTLS at a sidecar, a"
          + " network policy)");
      return null;
    }
    if (scheme.equals("http") && !JwksLocation.isLoopback(uri.getHost())) {
      errors.add(key + ": " + JwksLocation.shown(text) + " is plain http: anyone on the network"
          + " path could serve their own " + (key.endsWith("jwks") ? "keys"
          : "policy, or an older signed one") + ". Use https or a loopback host (127.0.0.1,"
          + " ::1, localhost)");
      return null;
    }
    return text;
  }

  /** The policy URL with {@code .jws} appended to its path (any query kept after it). */
  static String withJws(String url) {
    URI uri = URI.create(url);
    String query = uri.getRawQuery();
    int cut = query == null ? url.length() : url.indexOf('?');
    int fragment = url.indexOf('#');
    if (query == null && fragment >= 0) {
      cut = fragment;
    }
    return url.substring(0, cut) + ".jws" + (query == null ? "" : "?" + query);
  }

  private static String flag(String prefix, String suffix) {
    return (prefix.equals(SHADOW) ? "shadow-policy" : "policy") + suffix;
  }

  private <T> T parse(Map<String, String> s, String key, String fallback,
      Function<String, T> parser) {
    return SettingValues.parse(errors, s, key, fallback, parser);
  }
}
