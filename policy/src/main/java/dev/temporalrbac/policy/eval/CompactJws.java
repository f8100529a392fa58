package dev.temporalrbac.policy.eval;

/**
 * Tells a JWT from an API key by shape alone: a compact JWS (RFC 7515 §7.1) is three base64url
 * segments joined by two dots, the first an encoded JSON object (so it begins {@code ey}). The
 * signature may be empty, so an unsigned ({@code alg: none}) token is still read as a JWT and
 * refused as one, never looked up as an API key. Allocates nothing.
 */
final class CompactJws {
  private CompactJws() {}

  static boolean looksLike(String credential) {
    int dots = 0;
    int segmentStart = 0;
    for (int i = 0; i < credential.length(); i++) {
      char c = credential.charAt(i);
      if (c == '.') {
        if (i == segmentStart && dots < 2) {
          return false; // header and payload must not be empty
        }
        dots++;
        segmentStart = i + 1;
      } else if (!isBase64Url(c)) {
        return false;
      }
    }
    return dots == 2 && credential.startsWith("ey");
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_';
  }
}
