package dev.temporalrbac.policy.eval;

/**
 * Tells a JWT from an API key by shape alone: a compact JWS (RFC 7515 §7.1) is three base64url
 * segments joined by two dots, the first an encoded JSON object (its first non-blank character
 * is <code>{</code>). The signature may be empty, so an unsigned ({@code alg: none}) token is still
 * read as a JWT and refused as one. Asked only about bearer values that are no API key of the
 * policy (those are found by hash first).
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
    return dots == 2 && headerOpensAnObject(credential);
  }

  /** The decoded header's first non-blank character is an opening brace. */
  private static boolean headerOpensAnObject(String credential) {
    int end = credential.indexOf('.');
    byte[] start = java.util.Base64.getUrlDecoder().decode(
        credential.substring(0, Math.min(end - end % 4, 16)));
    for (byte b : start) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '{';
      }
    }
    return false;
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_';
  }
}
