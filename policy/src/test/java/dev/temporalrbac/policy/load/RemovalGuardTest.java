package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The removal guard: more than half of the principals or keys in force goes only if confirmed. */
class RemovalGuardTest {

  /** principals in force, keys in force, principals kept, keys kept, refused. */
  static Stream<Arguments> removals() {
    return Stream.of(
        Arguments.of(12, 8, 3, 0, true),
        Arguments.of(4, 4, 2, 4, false),
        Arguments.of(4, 4, 1, 4, true),
        Arguments.of(5, 0, 3, 0, false),
        Arguments.of(5, 0, 2, 0, true),
        Arguments.of(4, 4, 4, 2, false),
        Arguments.of(4, 4, 4, 1, true),
        Arguments.of(4, 3, 4, 1, true),
        Arguments.of(2, 1, 1, 1, false),
        Arguments.of(2, 1, 1, 0, true),
        Arguments.of(1, 0, 0, 0, true),
        Arguments.of(0, 0, 0, 0, false),
        Arguments.of(3, 2, 3, 2, false),
        Arguments.of(1, 0, 1, 0, false));
  }

  @ParameterizedTest(name = "{0} principals, {1} keys -> keep {2}, {3}: refused {4}")
  @MethodSource("removals")
  void refusesMoreThanHalfOfEither(int principals, int keys, int keptPrincipals, int keptKeys,
      boolean refused) throws Exception {
    PolicySnapshot inForce = PolicyText.load(PolicyText.of(principals, keys));
    PolicySnapshot candidate = PolicyText.load(PolicyText.of(keptPrincipals, keptKeys));

    RemovalGuard.Verdict verdict = RemovalGuard.check(inForce, candidate);

    assertEquals(refused, verdict.rejected(), verdict.message());
    assertEquals(refused, verdict.large());
    assertEquals(principals - keptPrincipals, verdict.principalsRemoved().size());
    assertEquals(keys - keptKeys, verdict.keysRemoved().size());
    assertTrue(verdict.message().contains("removes " + (principals - keptPrincipals) + " of "
        + principals + " principals and " + (keys - keptKeys) + " of " + keys + " API keys"),
        verdict.message());
    if (refused) {
      assertTrue(verdict.message().contains("confirm_removal: {principals: " + keptPrincipals
          + ", api_keys: " + keptKeys + "}"), verdict.message());
    }
  }

  @Test
  void theMessageGivesTheNumbersAndTheWayToConfirm() throws Exception {
    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(PolicyText.of(12, 8)),
        PolicyText.load(PolicyText.of(3, 0)));

    assertEquals("this version removes 9 of 12 principals and 8 of 8 API keys in force; more"
        + " than half of either is refused as a likely truncated or half-written file. If the"
        + " removal is intended, add to the file the top-level key 'confirm_removal: {principals:"
        + " 3, api_keys: 0}' (the counts this version keeps)", verdict.message());
    assertEquals(Set.of("p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11"),
        Set.copyOf(verdict.principalsRemoved()));
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"), verdict.keysRemoved());
  }

  @Test
  void aMatchingConfirmationLetsALargeRemovalThrough() throws Exception {
    PolicySnapshot candidate = PolicyText.load(PolicyText.of(0, 3, 0,
        "confirm_removal: {principals: 3, api_keys: 0}\n"));
    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(PolicyText.of(12, 8)),
        candidate);

    assertTrue(verdict.large());
    assertTrue(verdict.confirmed());
    assertFalse(verdict.rejected());
    assertTrue(verdict.message().contains("allowed because the file confirms it"),
        verdict.message());
  }

  @Test
  void aConfirmationOnASmallChangeIsHarmless() throws Exception {
    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(PolicyText.of(4, 2)),
        PolicyText.load(PolicyText.of(0, 4, 2, "confirm_removal: {principals: 4, api_keys: 2}\n")));

    assertFalse(verdict.large());
    assertFalse(verdict.rejected());
  }

  @Test
  void replacingEveryIdIsARemovalEvenWhenTheCountsStay() throws Exception {
    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(PolicyText.of(0, 4, 0, "")),
        PolicyText.load(PolicyText.of(10, 14, 0, "")));

    assertTrue(verdict.rejected(), verdict.message());
    assertEquals(Set.of("p0", "p1", "p2", "p3"), Set.copyOf(verdict.principalsRemoved()));
  }

  @Test
  void aKeyRotatedUnderTheSameIdIsNotRemoved() throws Exception {
    String before = PolicyText.of(2, 1);
    String rotated = before.replace(String.format("%064x", 1), String.format("%064x", 99));

    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(before),
        PolicyText.load(rotated));

    assertEquals(List.of(), verdict.keysRemoved());
    assertFalse(verdict.rejected());
  }

  /** The incident: a file cut right after {@code api_keys:} loads, and must not be installed. */
  @Test
  void aFileCutRightAfterApiKeysLoadsButIsRefused() throws Exception {
    String whole = PolicyText.of(6, 5);
    String cut = whole.substring(0, whole.indexOf("api_keys:\n") + "api_keys:\n".length());

    PolicySnapshot truncated = PolicyText.load(cut);
    RemovalGuard.Verdict verdict = RemovalGuard.check(PolicyText.load(whole), truncated);

    assertEquals(0, truncated.apiKeys().size());
    assertTrue(verdict.rejected());
    assertTrue(verdict.message().contains("removes 0 of 6 principals and 5 of 5 API keys"),
        verdict.message());
  }

  @Test
  void aTruncatedCopyOfAConfirmedFileDoesNotLoad() throws Exception {
    String confirmed = "confirm_removal: {principals: 2, api_keys: 2}\n" + PolicyText.of(2, 2);
    PolicyText.load(confirmed);
    String cut = confirmed.substring(0, confirmed.indexOf("api_keys:\n") + "api_keys:\n".length());

    PolicyException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class,
        () -> PolicyText.load(cut));

    assertEquals(List.of("test.yaml:1: confirm_removal.api_keys: states 2 but the document has 0"
        + " (api_keys); the confirmation must match this version exactly, so a cut-short copy of"
        + " the file cannot pass as confirmed"),
        e.errors().stream().map(PolicyError::toString).toList());
  }
}
