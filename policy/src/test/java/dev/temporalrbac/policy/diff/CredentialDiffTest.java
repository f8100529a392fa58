package dev.temporalrbac.policy.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        Arguments.of("added", key(null), alice(SHA_1, ""), "+ api_key k1 state: none -> usable"),
        Arguments.of("added disabled", key(null), alice(SHA_1, "\n    disabled: true"),
            "~ api_key k1 state: none -> disabled"),
        Arguments.of("removed", alice(SHA_1, ""), key(null),
            "- api_key k1 state: usable -> none"),
        Arguments.of("removed once disabled", alice(SHA_1, "\n    disabled: true"), key(null),
            "~ api_key k1 state: disabled -> none"),
        Arguments.of("disabled", alice(SHA_1, ""), alice(SHA_1, "\n    disabled: true"),
            "- api_key k1 state: usable -> disabled"),
        Arguments.of("enabled", alice(SHA_1, "\n    disabled: true"), alice(SHA_1, ""),
            "+ api_key k1 state: disabled -> usable"),
        Arguments.of("expired", alice(SHA_1, ""), alice(SHA_1, "\n    expires: " + PAST),
            "- api_key k1 state: usable -> expired at " + PAST),
        Arguments.of("expires exactly now", alice(SHA_1, ""),
            alice(SHA_1, "\n    expires: " + DiffFixture.NOW),
            "- api_key k1 state: usable -> expired at " + DiffFixture.NOW),
        Arguments.of("expiry extended past now", alice(SHA_1, "\n    expires: " + PAST),
            alice(SHA_1, "\n    expires: " + FUTURE), "+ api_key k1 state: expired at " + PAST
                + " -> usable"),
        // no expiry is the latest: a usable key that will stop sooner loses time
        Arguments.of("newly expiring", alice(SHA_1, ""),
            alice(SHA_1, "\n    expires: " + FUTURE),
            "- api_key k1 expiry: none -> " + FUTURE),
        Arguments.of("expiring earlier", alice(SHA_1, "\n    expires: " + LATER),
            alice(SHA_1, "\n    expires: " + FUTURE),
            "- api_key k1 expiry: " + LATER + " -> " + FUTURE),
        Arguments.of("expiring later", alice(SHA_1, "\n    expires: " + FUTURE),
            alice(SHA_1, "\n    expires: " + LATER),
            "+ api_key k1 expiry: " + FUTURE + " -> " + LATER),
        Arguments.of("no longer expiring", alice(SHA_1, "\n    expires: " + FUTURE),
            alice(SHA_1, ""), "+ api_key k1 expiry: " + FUTURE + " -> none"),
        Arguments.of("a disabled key expiring earlier takes nothing usable",
            alice(SHA_1, "\n    expires: " + LATER + "\n    disabled: true"),
            alice(SHA_1, "\n    expires: " + FUTURE + "\n    disabled: true"),
            "~ api_key k1 expiry: " + LATER + " -> " + FUTURE),
        Arguments.of("an expired key expiring earlier takes nothing usable",
            alice(SHA_1, "\n    expires: " + PAST),
            alice(SHA_1, "\n    expires: 2025-01-01T00:00:00Z"),
            "~ api_key k1 expiry: " + PAST + " -> 2025-01-01T00:00:00Z"),
        Arguments.of("secret replaced", alice(SHA_1, ""), alice(SHA_2, ""),
            "- api_key k1 secret: none -> replaced"),
        Arguments.of("secret of a disabled key replaced", alice(SHA_1, "\n    disabled: true"),
            alice(SHA_2, "\n    disabled: true"), "~ api_key k1 secret: none -> replaced"),
        Arguments.of("disabled once expired", alice(SHA_1, "\n    expires: " + PAST),
            alice(SHA_1, "\n    expires: " + PAST + "\n    disabled: true"),
            "~ api_key k1 state: expired at " + PAST + " -> disabled and expired at " + PAST));
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
    assertEquals(List.of("- api_key k1 owner: alice -> bob"), DiffFixture.lines(alice));
    assertEquals("API key k1 moved to bob", alice.losses().get(0).text());
    PrincipalDiff bob = DiffFixture.of(diff, "bob");
    assertEquals(List.of("+ api_key k1 owner: alice -> bob"), DiffFixture.lines(bob));
    assertEquals("API key k1 moved from alice", bob.gains().get(0).text());
  }

  @Test
  void aReplacedSecretNamesNeitherDigest() {
    PolicyDiff diff = DiffFixture.diff(alice(SHA_1, ""), alice(SHA_2, ""));

    Change rekeyed = DiffFixture.of(diff, "alice").losses().get(0);
    assertEquals("API key k1: secret replaced (callers with the old secret are refused)",
        rekeyed.text());
    for (String field : new String[] {rekeyed.from(), rekeyed.to(), rekeyed.text()}) {
      assertFalse(String.valueOf(field).contains("1111"), field);
      assertFalse(String.valueOf(field).contains("2222"), field);
    }
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

    assertEquals(List.of("- api_key k1 expiry: none -> " + FUTURE),
        DiffFixture.lines(DiffFixture.of(before, "alice")), "still usable, but for less time");
    assertEquals(List.of("- api_key k1 state: usable -> expired at " + FUTURE),
        DiffFixture.lines(DiffFixture.of(after, "alice")), "no longer usable at all");
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
