package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API keys (usable when neither disabled nor expired at the comparison's time, PERMISSIONS.md
 * §2) and certificate filters (none: any certificate naming the principal; else one must match).
 */
class CredentialDiffTest {
  private static final String PAST = "2026-01-01T00:00:00Z";
  private static final String FUTURE = "2027-01-01T00:00:00Z";
  private static final String LATER = "2028-01-01T00:00:00Z";
  private static final String SHA_1 = "1".repeat(64);
  private static final String SHA_2 = "2".repeat(64);
  private static final String USERS = "users:\n  - id: alice\n    role: developer\n"
      + "  - id: bob\n    role: developer\n";

  /** Alice's key k1 with the given fields (none: no key). */
  private static String key(String fields) {
    return USERS + (fields == null ? "" : "api_keys:\n  - id: k1\n    " + fields + "\n");
  }

  private static String key(String owner, String sha, String extra) {
    return key("owner: " + owner + "\n    sha256: " + sha + extra);
  }

  private static String alice(String sha, String extra) {
    return key("alice", sha, extra);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("added", key(null), alice(SHA_1, ""), "+ api_key k1: none -> usable"),
        Arguments.of("added disabled", key(null), alice(SHA_1, "\n    disabled: true"),
            "~ api_key k1: none -> disabled"),
        Arguments.of("removed", alice(SHA_1, ""), key(null), "- api_key k1: usable -> none"),
        Arguments.of("removed once disabled", alice(SHA_1, "\n    disabled: true"), key(null),
            "~ api_key k1: disabled -> none"),
        Arguments.of("disabled", alice(SHA_1, ""), alice(SHA_1, "\n    disabled: true"),
            "- api_key k1: usable -> disabled"),
        Arguments.of("enabled", alice(SHA_1, "\n    disabled: true"), alice(SHA_1, ""),
            "+ api_key k1: disabled -> usable"),
        Arguments.of("expired", alice(SHA_1, ""), alice(SHA_1, "\n    expires: " + PAST),
            "- api_key k1: usable -> expired at " + PAST),
        Arguments.of("expires exactly now", alice(SHA_1, ""),
            alice(SHA_1, "\n    expires: " + DiffFixture.NOW),
            "- api_key k1: usable -> expired at " + DiffFixture.NOW),
        Arguments.of("expiry extended past now", alice(SHA_1, "\n    expires: " + PAST),
            alice(SHA_1, "\n    expires: " + FUTURE), "+ api_key k1: expired at " + PAST
                + " -> usable"),
        Arguments.of("newly expiring", alice(SHA_1, ""),
            alice(SHA_1, "\n    expires: " + FUTURE), "~ api_key k1: none -> " + FUTURE),
        Arguments.of("expiring earlier", alice(SHA_1, "\n    expires: " + LATER),
            alice(SHA_1, "\n    expires: " + FUTURE), "~ api_key k1: " + LATER + " -> " + FUTURE),
        Arguments.of("no longer expiring", alice(SHA_1, "\n    expires: " + FUTURE),
            alice(SHA_1, ""), "~ api_key k1: " + FUTURE + " -> none"),
        Arguments.of("secret replaced", alice(SHA_1, ""), alice(SHA_2, ""),
            "- api_key k1: secret -> another secret"),
        Arguments.of("secret of a disabled key replaced", alice(SHA_1, "\n    disabled: true"),
            alice(SHA_2, "\n    disabled: true"), "~ api_key k1: secret -> another secret"),
        Arguments.of("disabled once expired", alice(SHA_1, "\n    expires: " + PAST),
            alice(SHA_1, "\n    expires: " + PAST + "\n    disabled: true"),
            "~ api_key k1: expired at " + PAST + " -> disabled and expired at " + PAST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void aliceKey(String name, String before, String after, String expected) {
    PolicyDiff diff = DiffFixture.diff(before, after);

    assertEquals(List.of(expected), DiffFixture.lines(DiffFixture.of(diff, "alice")));
    assertEquals(expected.startsWith("-"), diff.losesSomething());
  }

  @Test
  void aKeyMovedToAnotherOwnerIsOnesLossAndTheOthersGain() {
    PolicyDiff diff = DiffFixture.diff(alice(SHA_1, ""), key("bob", SHA_1, ""));

    PrincipalDiff alice = DiffFixture.of(diff, "alice");
    assertEquals(List.of("- api_key k1: usable -> none"), DiffFixture.lines(alice));
    assertEquals("API key k1 moved to bob", alice.losses().get(0).text());
    PrincipalDiff bob = DiffFixture.of(diff, "bob");
    assertEquals(List.of("+ api_key k1: none -> usable"), DiffFixture.lines(bob));
    assertEquals("API key k1 moved from alice", bob.gains().get(0).text());
  }

  @Test
  void expiryIsJudgedAtTheGivenTime() {
    PolicyComparer comparer = new PolicyComparer(MethodCatalog.load());
    PolicyDiff before = comparer.compare(DiffFixture.load(alice(SHA_1, "")),
        DiffFixture.load(alice(SHA_1, "\n    expires: " + FUTURE)),
        Instant.parse("2026-12-31T23:59:59Z"));
    PolicyDiff after = comparer.compare(DiffFixture.load(alice(SHA_1, "")),
        DiffFixture.load(alice(SHA_1, "\n    expires: " + FUTURE)),
        Instant.parse(FUTURE));

    assertFalse(before.losesSomething());
    assertTrue(after.losesSomething());
    assertEquals(Instant.parse(FUTURE), after.at());
  }

  private static String filters(String... filters) {
    StringBuilder text = new StringBuilder("users:\n  - id: alice\n    role: developer\n");
    if (filters.length > 0) {
      text.append("    certificate_filters:\n");
      for (String filter : filters) {
        text.append("      - {").append(filter).append("}\n");
      }
    }
    return text.toString();
  }

  static Stream<Arguments> certificateFilters() {
    return Stream.of(
        Arguments.of("first filter restricts", filters(), filters("common_name: w"),
            List.of("- certificate_filter: any -> (CN=w)")),
        Arguments.of("last filter removed lifts the restriction", filters("common_name: w"),
            filters(), List.of("+ certificate_filter: (CN=w) -> any")),
        Arguments.of("another filter accepts more", filters("common_name: w"),
            filters("common_name: w", "organization: Acme, organizational_unit: ops"),
            List.of("+ certificate_filter: none -> O=Acme, OU=ops")),
        Arguments.of("one of two removed accepts fewer",
            filters("common_name: w", "subject_alternative_name: w.example"),
            filters("common_name: w"), List.of("- certificate_filter: SAN=w.example -> none")),
        Arguments.of("one replaced", filters("common_name: w"), filters("common_name: v"),
            List.of("+ certificate_filter: none -> CN=v", "- certificate_filter: CN=w -> none")),
        Arguments.of("same filters in another order",
            filters("common_name: w", "organization: Acme"),
            filters("organization: Acme", "common_name: w"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("certificateFilters")
  void aliceCertificateFilters(String name, String before, String after,
      List<String> expected) {
    assertEquals(expected, DiffFixture.lines(DiffFixture.of(DiffFixture.diff(before, after),
        "alice")));
  }
}
