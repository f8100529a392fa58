package dev.temporalrbac.proxy.observe;

import java.util.Locale;

/** How audit records are written (the {@code audit.format} setting). Immutable. */
public enum AuditFormat {
  /** The proxy's own JSON lines, the fields {@link AuditLog} documents (the default). */
  JSON,
  /** Temporal Cloud's audit log record shape ({@link CloudAuditLineWriter}). */
  CLOUD;

  /**
   * The format named {@code json} or {@code cloud} (any case).
   *
   * @throws IllegalArgumentException for any other text
   */
  public static AuditFormat parse(String text) {
    if (text != null) {
      for (AuditFormat format : values()) {
        if (format.name().equalsIgnoreCase(text.strip())) {
          return format;
        }
      }
    }
    throw new IllegalArgumentException("audit.format must be json or cloud, not '" + text + "'");
  }

  /** The configuration spelling, e.g. {@code cloud}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A writer of this format, for one writer thread. */
  AuditLineWriter newWriter() {
    return this == CLOUD ? new CloudAuditLineWriter() : new JsonAuditLineWriter();
  }
}
