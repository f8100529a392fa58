package dev.temporalrbac.proxy.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where {@code identity.jwt.jwks} points: a file path or an {@code http(s)://} URL. The keys it
 * holds decide which tokens are genuine, so a plain {@code http://} URL — which anyone on the
 * network path can answer — is refused unless it stays on this host (a loopback address) or the
 * operator says so. A URL may carry a secret in its user info or query; {@link #shown} is the only
 * form messages print. Stateless.
 */
public final class JwksLocation {
  /** A dotted-quad IPv4 literal; only literals are judged loopback, no name is ever resolved. */
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private JwksLocation() {}

  /**
   * The location as the proxy uses it (a URL's scheme lower-cased).
   *
   * @param allowInsecure {@code identity.jwt.allow_insecure_jwks}: accept an {@code http://} URL
   *     whose host is not loopback
   * @throws IllegalArgumentException saying what is wrong; the message never holds the raw URL
   */
  static String check(String text, boolean allowInsecure) {
    int separator = text.indexOf("://");
    if (separator <= 0) {
      return text; // a file path
    }
    String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("expected a file path or an http(s) URL, got a " + scheme
          + ": URL");
    }
    String url = scheme + text.substring(separator);
    String host = host(url);
    if (host == null) {
      throw new IllegalArgumentException("not a valid URL with a host: " + shown(url));
    }
    if (scheme.equals("http") && !allowInsecure && !isLoopback(host)) {
      throw new IllegalArgumentException(shown(url) + " is plain http: anyone on the network"
          + " path could serve their own keys and sign any token. Use https, a loopback host"
          + " (127.0.0.1, ::1, localhost), or set identity.jwt.allow_insecure_jwks: true"
          + " (--jwks-allow-insecure true) if the path is otherwise protected");
    }
    return url;
  }

  /** Whether keys come over plain http from another host (allowed only by the opt-in). */
  static boolean isInsecure(String location) {
    if (!location.startsWith("http://")) {
      return false;
    }
    String host = host(location);
    return host == null || !isLoopback(host);
  }

  /**
   * The location as messages may show it: a URL without user info, query or fragment (each may
   * hold a credential), or the file path unchanged.
   */
  public static String shown(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return location;
    }
    try {
      URI uri = new URI(location);
      if (uri.getHost() == null) {
        return "(an invalid URL)";
      }
      return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (URISyntaxException e) {
      return "(an invalid URL)";
    }
  }

  /** 127.0.0.0/8, ::1 or localhost; names other than localhost are never resolved. */
  public static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (IPV4.matcher(bare).matches()) {
      return bare.startsWith("127.")
          && Arrays.stream(bare.split("\\.")).allMatch(octet -> Integer.parseInt(octet) < 256);
    }
    if (!bare.contains(":")) {
      return false; // a name: resolving it here would trust whatever DNS says today
    }
    try {
      return InetAddress.getByName("[" + bare + "]").isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String host(String url) {
    try {
      return new URI(url).getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
