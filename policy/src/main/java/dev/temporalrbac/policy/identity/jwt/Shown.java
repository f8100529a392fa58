package dev.temporalrbac.policy.identity.jwt;

/**
 * A value read from a token, as a message may show it: quoted, at most {@link #MAX_CHARS}
 * characters, printable ASCII only. Header and claim values are the sender's text, so they are
 * cut short and cleaned before they reach a log line or a caller.
 */
final class Shown {
  static final int MAX_CHARS = 80;

  private Shown() {}

  static String of(Object value) {
    if (value == null) {
      return "(none)";
    }
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 5).append('\'');
    for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
    }
    return out.append(text.length() > MAX_CHARS ? "...'" : "'").toString();
  }
}
