package dev.temporalrbac.policy.identity.mtls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The names one client certificate carries, read once with the JDK's parsers (the subject through
 * {@link LdapName}, never by splitting strings) so that naming a principal and checking its
 * filters on each call reads fields instead of re-parsing the certificate. Immutable.
 *
 * <p>A kind of name that the certificate carries but that cannot name one principal is
 * <em>unusable</em> rather than absent, so that {@code principal_from} stops at it instead of
 * silently picking one of several names or falling through to a later kind: several
 * {@code spiffe://} URI SANs (an X.509-SVID has exactly one), several different subject common
 * names (in separate RDNs or one multi-valued RDN such as {@code CN=a+CN=b}), or a common name in
 * an encoding the JDK cannot read (it renders such a value as {@code #hex}). Several DNS SANs are
 * normal (server-style certificates) and the first names the principal.
 *
 * @param subject the subject DN (RFC 2253), for messages when no principal could be named
 * @param commonName the subject's one common name; null when it has none or it is unusable
 * @param organizations every subject O value
 * @param organizationalUnits every subject OU value
 * @param spiffeId the one URI SAN starting {@code spiffe://}; null when none or several
 * @param dnsName the first DNS SAN, or null
 * @param alternativeNames every DNS, URI, IP address and email SAN, in the JDK's string forms
 * @param unusableKinds why a kind of name the certificate carries cannot name a principal, by kind
 * @param problem why the certificate's names could not be read at all, or null when they could
 */
record CertificateNames(String subject, String commonName, List<String> organizations,
    List<String> organizationalUnits, String spiffeId, String dnsName,
    List<String> alternativeNames, Map<CertificateName, String> unusableKinds, String problem) {
  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  private static final int SAN_IP = 7;
  private static final String SPIFFE = "spiffe://";

  CertificateNames {
    unusableKinds = Map.copyOf(unusableKinds);
  }

  /** Reads {@code leaf}'s names; a malformed subject or SAN extension sets {@link #problem}. */
  static CertificateNames of(X509Certificate leaf) {
    String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
    Map<CertificateName, String> unusable = new EnumMap<>(CertificateName.class);
    Set<String> commonNames = new LinkedHashSet<>();
    boolean unreadableCommonName = false;
    List<String> organizations = new ArrayList<>();
    List<String> units = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
        while (attributes.hasMore()) {
          Attribute attribute = attributes.next();
          String type = attribute.getID().toUpperCase(Locale.ROOT);
          for (int i = 0; i < attribute.size(); i++) {
            Object value = attribute.get(i);
            if (!(value instanceof String text)) {
              // the JDK printed the value as #hex: an encoding it cannot read as a string
              unreadableCommonName |= type.equals("CN");
              continue;
            }
            switch (type) {
              case "CN" -> commonNames.add(text);
              case "O" -> organizations.add(text);
              case "OU" -> units.add(text);
              default -> { }
            }
          }
        }
      }
    } catch (NamingException e) { // InvalidNameException included
      return unreadable(subject, "its subject could not be read");
    }
    if (unreadableCommonName) {
      unusable.put(CertificateName.CN, "its cn name is unreadable (a subject common name in an"
          + " encoding the JDK cannot read as a string)");
    } else if (commonNames.size() > 1) {
      unusable.put(CertificateName.CN, "its cn name is ambiguous (" + commonNames.size()
          + " different subject common names: " + String.join(", ", commonNames) + ")");
    }
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return unreadable(subject, "its subject alternative names could not be read");
    }
    List<String> spiffeIds = new ArrayList<>();
    String dnsName = null;
    List<String> alternativeNames = new ArrayList<>();
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      int kind = (Integer) san.get(0);
      if (!(san.get(1) instanceof String value)
          || (kind != SAN_EMAIL && kind != SAN_DNS && kind != SAN_URI && kind != SAN_IP)) {
        continue;
      }
      alternativeNames.add(value);
      if (kind == SAN_URI && value.startsWith(SPIFFE)) {
        spiffeIds.add(value);
      } else if (kind == SAN_DNS && dnsName == null) {
        dnsName = value;
      }
    }
    if (spiffeIds.size() > 1) {
      unusable.put(CertificateName.SPIFFE, "its spiffe name is ambiguous (" + spiffeIds.size()
          + " spiffe:// URI SANs, where an X.509-SVID has exactly one: "
          + String.join(", ", spiffeIds) + ")");
    }
    return new CertificateNames(subject,
        unusable.containsKey(CertificateName.CN) || commonNames.isEmpty()
            ? null : commonNames.iterator().next(),
        List.copyOf(organizations), List.copyOf(units),
        spiffeIds.size() == 1 ? spiffeIds.get(0) : null, dnsName,
        List.copyOf(alternativeNames), unusable, null);
  }

  private static CertificateNames unreadable(String subject, String problem) {
    return new CertificateNames(subject, null, List.of(), List.of(), null, null, List.of(),
        Map.of(), problem);
  }

  /** This certificate's name of {@code kind}, or null when it has none or it is unusable. */
  String name(CertificateName kind) {
    return switch (kind) {
      case SPIFFE -> spiffeId;
      case DNS -> dnsName;
      case CN -> commonName;
    };
  }

  /** Why this certificate's name of {@code kind} cannot name a principal, or null. */
  String unusable(CertificateName kind) {
    return unusableKinds.get(kind);
  }
}
