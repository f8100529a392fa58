package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.CertificateFilter;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code certificate_filters} under users and service accounts: parsed, and bad shapes located. */
class CertificateFilterParsingTest {
  private static PolicySnapshot parse(String yaml) throws PolicyException {
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml",
        Instant.parse("2026-06-01T00:00:00Z"));
  }

  @Test
  void filtersAreReadForUsersAndBothKindsOfServiceAccount() throws Exception {
    PolicySnapshot policy = parse("""
        users:
          - id: alice
            role: developer
            certificate_filters:
              - common_name: alice
                organization: Example Corp
                organizational_unit: Eng
                subject_alternative_name: alice@example.com
        service_accounts:
          - id: worker
            role: read_only
            certificate_filters:
              - organizational_unit: Payments
              - subject_alternative_name: "spiffe://example.org/worker"
          - id: scoped
            namespace_scoped: {namespace: orders, permission: write}
            certificate_filters:
              - common_name: "Scoped Worker, Inc."
          - id: plain
            role: read_only
          - id: empty-list
            role: read_only
            certificate_filters:
        namespaces:
          - name: orders
        """);

    assertEquals(List.of(new CertificateFilter("alice", "Example Corp", "Eng",
        "alice@example.com")), policy.principal("alice").certificateFilters());
    assertEquals(List.of(new CertificateFilter(null, null, "Payments", null),
            new CertificateFilter(null, null, null, "spiffe://example.org/worker")),
        policy.principal("worker").certificateFilters());
    assertEquals(List.of(new CertificateFilter("Scoped Worker, Inc.", null, null, null)),
        policy.principal("scoped").certificateFilters());
    assertEquals(List.of(), policy.principal("plain").certificateFilters());
    assertEquals(List.of(), policy.principal("empty-list").certificateFilters());
  }

  static Stream<Arguments> badFilters() {
    String user = "users:\n  - id: u1\n    role: developer\n    certificate_filters:\n";
    return Stream.of(
        Arguments.of("not a list", user.replace("certificate_filters:\n",
            "certificate_filters: {common_name: u1}\n"), 4, "users[0].certificate_filters",
            "expected a list"),
        Arguments.of("unknown key", user + "      - common_name: u1\n        country: NL\n", 6,
            "users[0].certificate_filters[0].country", "unknown key 'country'"),
        Arguments.of("misspelled key", user + "      - commonName: u1\n", 5,
            "users[0].certificate_filters[0].commonName", "expected one of common_name"),
        Arguments.of("a list where a value goes", user + "      - organization: [a, b]\n", 5,
            "users[0].certificate_filters[0].organization", "expected a single value"),
        Arguments.of("empty value", user + "      - organizational_unit: ''\n", 5,
            "users[0].certificate_filters[0].organizational_unit", "must not be empty"),
        Arguments.of("empty filter", user + "      - {}\n", 5,
            "users[0].certificate_filters[0]", "sets at least one of common_name"),
        Arguments.of("not a mapping", user + "      - u1\n", 5,
            "users[0].certificate_filters[0]", "expected a mapping"),
        Arguments.of("service account", "service_accounts:\n  - id: sa\n    role: read_only\n"
            + "    certificate_filters:\n      - subject_alt_name: x\n", 5,
            "service_accounts[0].certificate_filters[0].subject_alt_name", "unknown key"),
        Arguments.of("unknown key on a user still refused", "users:\n  - id: u1\n"
            + "    role: developer\n    certificate_filter: []\n", 4,
            "users[0].certificate_filter", "unknown key 'certificate_filter'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFilters")
  void badShapesAreLocated(String name, String yaml, int line, String field, String fragment) {
    PolicyException e = assertThrows(PolicyException.class, () -> parse(yaml));
    assertEquals(1, e.errors().size(), e.errors()::toString);
    PolicyError error = e.errors().get(0);
    assertEquals(field, error.field(), error::toString);
    assertEquals(line, error.line(), error::toString);
    assertTrue(error.message().contains(fragment), error::toString);
    assertTrue(error.toString().startsWith("test.yaml:" + line + ": " + field + ": "),
        error::toString);
  }

  @Test
  void everyBadFilterIsReportedAtOnce() {
    PolicyException e = assertThrows(PolicyException.class, () -> parse("""
        users:
          - id: u1
            role: developer
            certificate_filters:
              - {}
              - common_name: ''
        service_accounts:
          - id: sa
            role: nobody
            certificate_filters:
              - country: NL
        """));
    List<String> located = e.errors().stream()
        .sorted(java.util.Comparator.comparingInt(PolicyError::line))
        .map(error -> error.line() + " " + error.field()).toList();
    assertEquals(List.of("5 users[0].certificate_filters[0]",
        "6 users[0].certificate_filters[1].common_name",
        "9 service_accounts[0].role",
        "11 service_accounts[0].certificate_filters[0].country"), located);
  }
}
