package dev.temporalrbac.policy.identity.mtls;

import static dev.temporalrbac.policy.identity.mtls.TestCertificates.dns;
import static dev.temporalrbac.policy.identity.mtls.TestCertificates.email;
import static dev.temporalrbac.policy.identity.mtls.TestCertificates.ip;
import static dev.temporalrbac.policy.identity.mtls.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.eval.StatusCode;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client certificates name principals, through the real {@link Authorizer}: which name is taken
 * (SPIFFE URI SAN, DNS SAN, subject CN, in {@code principal_from} order), unknown names, and
 * Temporal Cloud style certificate filters; a bearer credential beside a certificate wins.
 */
class CertificateIdentitiesTest {
  private static final String START = Fixtures.WF + "StartWorkflowExecution";
  private static final String API_KEY = "alice-api-key-do-not-print";
  private static final String WORKER = "spiffe://example.org/ns/orders/sa/worker";
  private static final String PAYMENTS = "spiffe://example.org/payments";
  private static final String STRICT = "spiffe://example.org/strict";
  private static final String BY_SAN = "spiffe://example.org/by-san";

  private static final PolicySnapshot POLICY = load("""
      users:
        - id: alice@example.com
          role: read_only
          namespaces: {billing: write}
      service_accounts:
        - id: %s
          role: read_only
          namespaces: {orders: write}
        - id: worker.orders.example.com
          role: read_only
          namespaces: {orders: write}
        - id: billing-worker
          role: read_only
          namespaces: {billing: write}
        - id: %s
          role: read_only
          namespaces: {orders: write}
          certificate_filters:
            - organization: Example Corp
              organizational_unit: Payments
            - common_name: payments-worker
            - subject_alternative_name: payments.internal.example.com
        - id: %s
          role: read_only
          namespaces: {orders: write}
          certificate_filters:
            - common_name: strict
              organization: Org
              organizational_unit: Unit
              subject_alternative_name: strict.example.com
        - id: %s
          role: read_only
          namespaces: {orders: write}
          certificate_filters:
            - subject_alternative_name: 10.0.0.7
            - subject_alternative_name: ops@example.com
      api_keys:
        - id: key-alice
          owner: alice@example.com
          sha256: %s
      namespaces:
        - name: orders
        - name: billing
      """.formatted(WORKER, PAYMENTS, STRICT, BY_SAN, Authorizer.hashSecret(API_KEY)));

  private static final TestCertificates CA = TestCertificates.authority("Test Client CA");

  private static Decision decide(MtlsSettings settings, Caller caller, String namespace) {
    Authorizer authorizer = new Authorizer(MethodCatalog.load(),
        Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC),
        new Identities(null, new CertificateIdentities(settings)));
    return authorizer.decide(POLICY, caller, START, Fixtures.withNamespace(START, namespace),
        null);
  }

  private static Decision decide(List<X509Certificate> chain, String namespace) {
    return decide(MtlsSettings.defaults(), Caller.fromRequest(List.of(), chain), namespace);
  }

  private static void assertAllowedAs(Decision decision, String name) {
    assertTrue(decision.allowed(), decision::message);
    assertEquals("mtls", decision.identifiedBy());
    assertEquals(name, decision.credentialId());
    assertEquals(name, decision.principal());
  }

  private static void assertRefused(Decision decision, Reason reason, String credentialId) {
    assertFalse(decision.allowed(), decision::message);
    assertEquals(reason, decision.reason(), decision::message);
    assertEquals(StatusCode.UNAUTHENTICATED, decision.status());
    assertEquals("mtls", decision.identifiedBy());
    assertEquals(credentialId, decision.credentialId());
  }

  // ------------------------------------------------------------------ which name

  @Test
  void spiffeIdNamesThePrincipalBeforeDnsAndCommonName() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker",
        dns("worker.orders.example.com"), uri("https://example.org/not-spiffe"), uri(WORKER));
    assertAllowedAs(decide(chain, "orders"), WORKER);
  }

  @Test
  void principalIsAllowedOnItsNamespaceAndDeniedElsewhere() {
    List<X509Certificate> chain = CA.chain("CN=anything", uri(WORKER));
    assertAllowedAs(decide(chain, "orders"), WORKER);

    Decision elsewhere = decide(chain, "billing");
    assertFalse(elsewhere.allowed());
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, elsewhere.reason(), elsewhere::message);
    assertEquals(StatusCode.PERMISSION_DENIED, elsewhere.status());
    assertEquals("mtls", elsewhere.identifiedBy());
    assertEquals(WORKER, elsewhere.credentialId());
  }

  @Test
  void firstDnsNameWhenThereIsNoSpiffeId() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker",
        uri("https://example.org/worker"), dns("worker.orders.example.com"),
        dns("other.example.com"));
    assertAllowedAs(decide(chain, "orders"), "worker.orders.example.com");
  }

  @Test
  void commonNameWhenThereAreNoSans() {
    assertAllowedAs(decide(CA.chain("CN=billing-worker,O=Example\\, Inc.,OU=Billing"),
        "billing"), "billing-worker");
  }

  // ------------------------------------------------------------------ ambiguous names

  @Test
  void severalSpiffeIdsAreRefusedNotPicked() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker", uri(WORKER),
        uri("spiffe://example.org/second"), dns("worker.orders.example.com"));
    Decision decision = decide(chain, "orders");
    assertRefused(decision, Reason.CERTIFICATE_NO_NAME, "CN=billing-worker");
    assertTrue(decision.message().contains("spiffe name is ambiguous"), decision.message());
    assertTrue(decision.message().contains("2 spiffe:// URI SANs"), decision.message());
  }

  @Test
  void severalCommonNamesAreRefusedNotPicked() {
    List<X509Certificate> chain = CA.chain("CN=outer,CN=billing-worker");
    Decision decision = decide(chain, "billing");
    assertRefused(decision, Reason.CERTIFICATE_NO_NAME,
        chain.get(0).getSubjectX500Principal().getName());
    assertTrue(decision.message().contains("cn name is ambiguous"), decision.message());

    Decision multiValued = decide(CA.chain("CN=billing-worker+CN=outer"), "billing");
    assertRefused(multiValued, Reason.CERTIFICATE_NO_NAME, multiValued.credentialId());
    assertTrue(multiValued.message().contains("cn name is ambiguous"), multiValued.message());
  }

  @Test
  void onlyTheKindThatNamesTheCallerMustBeUnambiguous() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker,CN=outer", uri(WORKER));
    assertAllowedAs(decide(chain, "orders"), WORKER); // spiffe comes first: the CNs are unused

    MtlsSettings cnFirst = new MtlsSettings(List.of(CertificateName.CN, CertificateName.SPIFFE));
    Decision decision = decide(cnFirst, Caller.fromRequest(List.of(), chain), "orders");
    assertRefused(decision, Reason.CERTIFICATE_NO_NAME,
        chain.get(0).getSubjectX500Principal().getName());
    assertTrue(decision.message().contains("cn name is ambiguous"), decision.message());

    List<X509Certificate> twoSpiffe = CA.chain("CN=billing-worker", uri(WORKER), uri(PAYMENTS));
    assertAllowedAs(decide(cnFirst, Caller.fromRequest(List.of(), twoSpiffe), "billing"), "billing-worker");
  }

  @Test
  void anUnusableKindIsNotSkippedForALaterOne() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker", uri(WORKER), uri(PAYMENTS));
    MtlsSettings spiffeThenCn =
        new MtlsSettings(List.of(CertificateName.SPIFFE, CertificateName.CN));
    assertRefused(decide(spiffeThenCn, Caller.fromRequest(List.of(), chain), "billing"),
        Reason.CERTIFICATE_NO_NAME, "CN=billing-worker");
  }

  @Test
  void anUnreadableCommonNameIsRefused() {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, new DEROctetString("billing-worker".getBytes(StandardCharsets.UTF_8)))
        .build();
    List<X509Certificate> chain = CA.chain(subject);
    Decision decision = decide(chain, "billing");
    assertRefused(decision, Reason.CERTIFICATE_NO_NAME,
        chain.get(0).getSubjectX500Principal().getName());
    assertTrue(decision.message().contains("cn name is unreadable"), decision.message());
  }

  @Test
  void principalFromOrderIsHonoured() {
    List<X509Certificate> chain = CA.chain("CN=billing-worker", uri(WORKER),
        dns("worker.orders.example.com"));
    MtlsSettings cnFirst = new MtlsSettings(List.of(CertificateName.CN, CertificateName.SPIFFE));
    assertAllowedAs(decide(cnFirst, Caller.fromRequest(List.of(), chain), "billing"), "billing-worker");
    MtlsSettings dnsFirst = new MtlsSettings(List.of(CertificateName.DNS, CertificateName.CN));
    assertAllowedAs(decide(dnsFirst, Caller.fromRequest(List.of(), chain), "orders"),
        "worker.orders.example.com");
  }

  @Test
  void noNameOfAListedKindIsRefused() {
    List<X509Certificate> cnOnly = CA.chain("CN=billing-worker,O=Example");
    MtlsSettings sansOnly = new MtlsSettings(List.of(CertificateName.SPIFFE, CertificateName.DNS));
    Decision decision = decide(sansOnly, Caller.fromRequest(List.of(), cnOnly), "billing");
    assertRefused(decision, Reason.CERTIFICATE_NO_NAME,
        cnOnly.get(0).getSubjectX500Principal().getName());
    assertTrue(decision.message().contains("spiffe or dns"), decision.message());

    List<X509Certificate> nothing = CA.chain("O=Example", email("ops@example.com"));
    assertRefused(decide(nothing, "orders"), Reason.CERTIFICATE_NO_NAME, "O=Example");
  }

  @Test
  void aNameThatIsNoPrincipalIsRefused() {
    String nobody = "spiffe://example.org/nobody";
    Decision decision = decide(CA.chain("CN=billing-worker", uri(nobody)), "orders");
    assertRefused(decision, Reason.CERTIFICATE_UNKNOWN_PRINCIPAL, nobody);
    assertTrue(decision.message().contains(nobody), decision.message());
    assertTrue(decision.message().contains(POLICY.version()), decision.message());
  }

  // ------------------------------------------------------------------ certificate filters

  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of("O and OU of filter 1", PAYMENTS,
            "CN=x,O=Example Corp,OU=Payments", new GeneralName[] {uri(PAYMENTS)}, null),
        Arguments.of("CN of filter 2", PAYMENTS,
            "CN=payments-worker", new GeneralName[] {uri(PAYMENTS)}, null),
        Arguments.of("DNS SAN of filter 3", PAYMENTS, "CN=x",
            new GeneralName[] {uri(PAYMENTS), dns("payments.internal.example.com")}, null),
        Arguments.of("matches are case-sensitive", PAYMENTS,
            "CN=Payments-Worker,O=example corp,OU=Payments",
            new GeneralName[] {uri(PAYMENTS)}, "organization"),
        Arguments.of("all four fields", STRICT, "CN=strict,O=Org,OU=Unit",
            new GeneralName[] {uri(STRICT), dns("strict.example.com")}, null),
        Arguments.of("common name differs", STRICT, "CN=strict2,O=Org,OU=Unit",
            new GeneralName[] {uri(STRICT), dns("strict.example.com")}, "common_name"),
        Arguments.of("organization differs", STRICT, "CN=strict,O=Org2,OU=Unit",
            new GeneralName[] {uri(STRICT), dns("strict.example.com")}, "organization"),
        Arguments.of("unit differs", STRICT, "CN=strict,O=Org,OU=Unit2",
            new GeneralName[] {uri(STRICT), dns("strict.example.com")}, "organizational_unit"),
        Arguments.of("SAN differs", STRICT, "CN=strict,O=Org,OU=Unit",
            new GeneralName[] {uri(STRICT), dns("strict2.example.com")},
            "subject_alternative_name"),
        Arguments.of("one of several OUs", STRICT, "CN=strict,O=Org,OU=Other,OU=Unit",
            new GeneralName[] {uri(STRICT), dns("strict.example.com")}, null),
        Arguments.of("IP address SAN", BY_SAN, "CN=x",
            new GeneralName[] {uri(BY_SAN), ip("10.0.0.7")}, null),
        Arguments.of("email SAN", BY_SAN, "CN=x",
            new GeneralName[] {uri(BY_SAN), email("ops@example.com")}, null),
        Arguments.of("no listed SAN", BY_SAN, "CN=x",
            new GeneralName[] {uri(BY_SAN), ip("10.0.0.8"), email("dev@example.com")},
            "subject_alternative_name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void certificateFilters(String name, String principal, String subject, GeneralName[] sans,
      String differingField) {
    Decision decision = decide(CA.chain(subject, sans), "orders");
    if (differingField == null) {
      assertAllowedAs(decision, principal);
      return;
    }
    assertRefused(decision, Reason.CERTIFICATE_FILTER_MISMATCH, principal);
    assertTrue(decision.message().contains(principal), decision.message());
    assertTrue(decision.message().contains(differingField), decision.message());
  }

  @Test
  void mismatchMessageNamesTheDifferingFieldsOfEachFilter() {
    Decision decision = decide(CA.chain("CN=other,O=Example Corp,OU=Billing", uri(PAYMENTS)),
        "orders");
    assertRefused(decision, Reason.CERTIFICATE_FILTER_MISMATCH, PAYMENTS);
    assertTrue(decision.message().contains("filter 1: organizational_unit;"), decision.message());
    assertTrue(decision.message().contains("filter 2: common_name;"), decision.message());
    assertTrue(decision.message().contains("filter 3: subject_alternative_name"),
        decision.message());
    assertFalse(decision.message().contains("filter 1: organization,"), decision.message());
  }

  @Test
  void aPrincipalWithoutFiltersTakesAnyCertificateNamingIt() {
    assertAllowedAs(decide(CA.chain("CN=whatever,O=Anyone,OU=Anything", uri(WORKER)),
        "orders"), WORKER);
  }

  // ------------------------------------------------------------------ precedence

  @Test
  void aBearerApiKeyBesideACertificateIdentifiesTheCaller() {
    List<X509Certificate> unknown = CA.chain("CN=x", uri("spiffe://example.org/nobody"));
    Caller caller = Caller.fromRequest(List.of("Bearer " + API_KEY), unknown);

    Decision decision = decide(MtlsSettings.defaults(), caller, "billing");

    assertTrue(decision.allowed(), decision::message);
    assertEquals("api_key", decision.identifiedBy());
    assertEquals("key-alice", decision.credentialId());
    assertEquals("alice@example.com", decision.principal());
    // and the key's rights decide, not the certificate's: alice has nothing on orders
    Decision orders = decide(MtlsSettings.defaults(),
        Caller.fromRequest(List.of("Bearer " + API_KEY), CA.chain("CN=x", uri(WORKER))),
        "orders");
    assertFalse(orders.allowed(), orders::message);
    assertEquals("api_key", orders.identifiedBy());
  }

  private static PolicySnapshot load(String yaml) {
    try {
      return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml",
          Instant.parse("2026-06-01T00:00:00Z"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
