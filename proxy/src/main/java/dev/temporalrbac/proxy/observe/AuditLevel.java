package dev.temporalrbac.proxy.observe;

import java.util.Locale;

/** Which decisions the audit log records (the {@code audit:} setting). Immutable. */
public enum AuditLevel {
  /** Denials only, dry-run denials included (the default). */
  DENY,
  /** Every decision, allowed calls too. */
  ALL,
  /** Nothing. */
  OFF;

  /** Whether a decision with this verdict gets an audit line. */
  public boolean records(Verdict verdict) {
    switch (this) {
      case ALL:
        return true;
      case DENY:
        return verdict != Verdict.ALLOW;
      default:
        return false;
    }
  }

  /**
   * The level named {@code deny}, {@code all} or {@code off} (any case).
   *
   * @throws IllegalArgumentException for any other text; the message lists the accepted ones
   */
  public static AuditLevel parse(String text) {
    if (text != null) {
      for (AuditLevel level : values()) {
        if (level.name().equalsIgnoreCase(text.strip())) {
          return level;
        }
      }
    }
    throw new IllegalArgumentException("audit must be one of deny, all, off; got " + text);
  }

  /** The configuration spelling, e.g. {@code deny}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
