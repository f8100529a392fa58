package dev.temporalrbac.policy.identity.mtls;

import java.util.Locale;
import java.util.Optional;

/** A kind of name a client certificate can carry, as {@code identity.mtls.principal_from} lists. */
public enum CertificateName {
  /** The first URI subject alternative name starting {@code spiffe://}. */
  SPIFFE,
  /** The first DNS subject alternative name. */
  DNS,
  /** The subject's common name. */
  CN;

  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code spiffe}, {@code dns} or {@code cn}, in any case. */
  public static Optional<CertificateName> parse(String text) {
    for (CertificateName name : values()) {
      if (name.settingName().equalsIgnoreCase(text.trim())) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }
}
