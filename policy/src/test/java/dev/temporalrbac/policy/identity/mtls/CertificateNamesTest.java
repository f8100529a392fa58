package dev.temporalrbac.policy.identity.mtls;

import static dev.temporalrbac.policy.identity.mtls.TestCertificates.dns;
import static dev.temporalrbac.policy.identity.mtls.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/**
 * Which names a BouncyCastle-minted certificate yields, and which kinds are unusable because they
 * are ambiguous (several SPIFFE ids, several common names) or unreadable (a common name the JDK
 * prints as {@code #hex}); several DNS names are not ambiguous.
 */
class CertificateNamesTest {
  private static final TestCertificates CA = TestCertificates.authority("Names CA");

  private static CertificateNames names(String subject, GeneralName... sans) {
    return CertificateNames.of(CA.chain(subject, sans).get(0));
  }

  @Test
  void oneNameOfEachKindIsUsable() {
    CertificateNames names = names("CN=worker,O=Example", uri("spiffe://example.org/worker"),
        dns("worker.example.com"));
    assertEquals("spiffe://example.org/worker", names.name(CertificateName.SPIFFE));
    assertEquals("worker.example.com", names.name(CertificateName.DNS));
    assertEquals("worker", names.name(CertificateName.CN));
    for (CertificateName kind : CertificateName.values()) {
      assertNull(names.unusable(kind), kind::toString);
    }
  }

  @Test
  void severalSpiffeIdsAreAmbiguous() {
    CertificateNames names = names("CN=worker", uri("spiffe://example.org/a"),
        uri("https://example.org/not-spiffe"), uri("spiffe://example.org/b"));
    assertNull(names.name(CertificateName.SPIFFE));
    String why = names.unusable(CertificateName.SPIFFE);
    assertTrue(why.contains("spiffe name is ambiguous"), why);
    assertTrue(why.contains("2 spiffe:// URI SANs"), why);
    assertTrue(why.contains("spiffe://example.org/a, spiffe://example.org/b"), why);
    assertEquals("worker", names.name(CertificateName.CN), "the other kinds stay usable");
  }

  @Test
  void aSpiffeIdBesideOtherUrisIsTheOne() {
    CertificateNames names = names("CN=x", uri("https://example.org/a"),
        uri("spiffe://example.org/only"));
    assertEquals("spiffe://example.org/only", names.name(CertificateName.SPIFFE));
    assertNull(names.unusable(CertificateName.SPIFFE));
  }

  @Test
  void severalDnsNamesTakeTheFirst() {
    CertificateNames names = names("CN=x", dns("first.example.com"), dns("second.example.com"));
    assertEquals("first.example.com", names.name(CertificateName.DNS));
    assertNull(names.unusable(CertificateName.DNS));
  }

  @Test
  void commonNamesInSeparateRdnsAreAmbiguous() {
    CertificateNames names = names("CN=outer,O=Example,CN=inner");
    assertNull(names.name(CertificateName.CN));
    assertNull(names.commonName(), "no common name for filters either");
    String why = names.unusable(CertificateName.CN);
    assertTrue(why.contains("cn name is ambiguous"), why);
    assertTrue(why.contains("2 different subject common names"), why);
    assertEquals(List.of("Example"), names.organizations());
  }

  @Test
  void commonNamesInOneMultiValuedRdnAreAmbiguous() {
    X509Certificate leaf = CA.chain("CN=a+CN=b,O=Example").get(0);
    String dn = leaf.getSubjectX500Principal().getName();
    assertTrue(dn.matches(".*CN=[ab]\\+CN=[ab].*"), "one RDN with two values: " + dn);
    CertificateNames names = CertificateNames.of(leaf);
    assertNull(names.name(CertificateName.CN));
    assertTrue(names.unusable(CertificateName.CN).contains("cn name is ambiguous"),
        names.unusable(CertificateName.CN));
  }

  @Test
  void aRepeatedIdenticalCommonNameIsOneName() {
    CertificateNames names = names("CN=same,CN=same");
    assertEquals("same", names.name(CertificateName.CN));
    assertNull(names.unusable(CertificateName.CN));
  }

  @Test
  void aCommonNameTheJdkCannotReadIsUnreadable() {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, new DEROctetString(new byte[] {1, 2, 3}))
        .addRDN(BCStyle.O, new DERUTF8String("Example"))
        .build();
    X509Certificate leaf = CA.chain(subject, uri("spiffe://example.org/x")).get(0);
    assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=#"),
        "the JDK prints it as hex: " + leaf.getSubjectX500Principal().getName());

    CertificateNames names = CertificateNames.of(leaf);
    assertNull(names.name(CertificateName.CN));
    String why = names.unusable(CertificateName.CN);
    assertTrue(why.contains("cn name is unreadable"), why);
    assertEquals("spiffe://example.org/x", names.name(CertificateName.SPIFFE));
    assertEquals(List.of("Example"), names.organizations());
  }

  @Test
  void aReadableCommonNameBesideAnUnreadableOneIsStillUnusable() {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, new DERUTF8String("worker"))
        .addRDN(BCStyle.CN, new DEROctetString(new byte[] {1}))
        .build();
    CertificateNames names = CertificateNames.of(CA.chain(subject).get(0));
    assertNull(names.name(CertificateName.CN));
    assertTrue(names.unusable(CertificateName.CN).contains("unreadable"),
        names.unusable(CertificateName.CN));
  }
}
