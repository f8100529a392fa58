package dev.temporalrbac.proxy.explain;

import java.util.Collection;

/** The little JSON the proxy writes by hand: quoted strings (RFC 8259 escaping), redaction. */
public final class Json {
  private Json() {}

  /** {@code text} as a JSON string literal, quotes included. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          // control characters, and the two separators some JavaScript parsers choke on
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /**
   * {@code text} with every non-empty secret replaced by {@code <redacted>}, both as is and in
   * its JSON-escaped form (parser messages quote values escaped).
   */
  public static String redact(String text, Collection<String> secrets) {
    String result = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        String quoted = quote(secret);
        result = result.replace(secret, "<redacted>")
            .replace(quoted.substring(1, quoted.length() - 1), "<redacted>");
      }
    }
    return result;
  }
}
