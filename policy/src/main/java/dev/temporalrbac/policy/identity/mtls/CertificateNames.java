package dev.temporalrbac.policy.identity.mtls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
 * @param subject the subject DN (RFC 2253), for messages when no principal could be named
 * @param commonName the most specific subject CN (the last in the DN's encoded order, as Go's
 *     {@code pkix.Name} reads it), or null
 * @param organizations every subject O value
 * @param organizationalUnits every subject OU value
 * @param spiffeId the first URI SAN starting {@code spiffe://}, or null
 * @param dnsName the first DNS SAN, or null
 * @param alternativeNames every DNS, URI, IP address and email SAN, in the JDK's string forms
 * @param problem why the certificate's names could not be read, or null when they could
 */
record CertificateNames(String subject, String commonName, List<String> organizations,
    List<String> organizationalUnits, String spiffeId, String dnsName,
    List<String> alternativeNames, String problem) {
  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  private static final int SAN_IP = 7;
  private static final String SPIFFE = "spiffe://";

  /** Reads the names of {@code leaf}; a malformed subject or SAN extension sets {@link #problem}. */
  static CertificateNames of(X509Certificate leaf) {
    String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
    String commonName = null;
    List<String> organizations = new ArrayList<>();
    List<String> units = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) { // index 0 is the first encoded RDN
        NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
        while (attributes.hasMore()) {
          Attribute attribute = attributes.next();
          String type = attribute.getID().toUpperCase(Locale.ROOT);
          for (int i = 0; i < attribute.size(); i++) {
            if (!(attribute.get(i) instanceof String value)) {
              continue; // a value in a non-string encoding names nothing
            }
            switch (type) {
              case "CN" -> commonName = value;
              case "O" -> organizations.add(value);
              case "OU" -> units.add(value);
              default -> { }
            }
          }
        }
      }
    } catch (NamingException e) { // InvalidNameException included
      return unreadable(subject, "its subject could not be read");
    }
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return unreadable(subject, "its subject alternative names could not be read");
    }
    String spiffeId = null;
    String dnsName = null;
    List<String> alternativeNames = new ArrayList<>();
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      int kind = (Integer) san.get(0);
      if (!(san.get(1) instanceof String value)
          || (kind != SAN_EMAIL && kind != SAN_DNS && kind != SAN_URI && kind != SAN_IP)) {
        continue;
      }
      alternativeNames.add(value);
      if (kind == SAN_URI && spiffeId == null && value.startsWith(SPIFFE)) {
        spiffeId = value;
      } else if (kind == SAN_DNS && dnsName == null) {
        dnsName = value;
      }
    }
    return new CertificateNames(subject, commonName, List.copyOf(organizations),
        List.copyOf(units), spiffeId, dnsName, List.copyOf(alternativeNames), null);
  }

  private static CertificateNames unreadable(String subject, String problem) {
    return new CertificateNames(subject, null, List.of(), List.of(), null, null, List.of(),
        problem);
  }

  /** This certificate's name of {@code kind}, or null when it has none. */
  String name(CertificateName kind) {
    return switch (kind) {
      case SPIFFE -> spiffeId;
      case DNS -> dnsName;
      case CN -> commonName;
    };
  }
}
