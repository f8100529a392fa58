package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code confirm_removal} key, validated like every other field. */
class RemovalConfirmationTest {
  /** Three principals (p0, p2 users; p1 a service account) and two keys, then the key. */
  private static String withConfirmation(String confirmation) {
    return PolicyText.of(3, 2) + confirmation;
  }

  @Test
  void matchingCountsConfirm() throws Exception {
    assertTrue(PolicyText.load(withConfirmation("confirm_removal: {principals: 3, api_keys: 2}\n"))
        .confirmsRemoval());
    assertTrue(PolicyText.load(withConfirmation("confirm_removal:\n  principals: 3\n"
        + "  api_keys: 2\n")).confirmsRemoval());
  }

  @Test
  void noKeyNoConfirmation() throws Exception {
    assertFalse(PolicyText.load(withConfirmation("")).confirmsRemoval());
  }

  static Stream<Arguments> wrong() {
    return Stream.of(
        Arguments.of("confirm_removal: {principals: 2, api_keys: 2}",
            "confirm_removal.principals: states 2 but the document has 3 (users plus"
                + " service_accounts)"),
        Arguments.of("confirm_removal: {principals: 3, api_keys: 3}",
            "confirm_removal.api_keys: states 3 but the document has 2 (api_keys)"),
        Arguments.of("confirm_removal: {principals: 3}",
            "confirm_removal.api_keys: missing (required: the number of api_keys this version"
                + " keeps)"),
        Arguments.of("confirm_removal: {principals: three, api_keys: 2}",
            "confirm_removal.principals: expected a count (a whole number, 0 or more), got"
                + " 'three'"),
        Arguments.of("confirm_removal: {principals: -3, api_keys: 2}",
            "confirm_removal.principals: expected a count (a whole number, 0 or more), got '-3'"),
        Arguments.of("confirm_removal: {principals: 3, api_keys: 2, groups: 0}",
            "confirm_removal.groups: unknown key 'groups' (expected one of api_keys, principals)"),
        Arguments.of("confirm_removal: true",
            "confirm_removal: expected a mapping of api_keys, principals"),
        Arguments.of("confirm_removal: {principals: [3], api_keys: 2}",
            "confirm_removal.principals: expected a single value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrong")
  void aWrongConfirmationRejectsTheDocumentAtItsLine(String confirmation, String expected) {
    String yaml = withConfirmation(confirmation + "\n");
    int line = (int) yaml.lines().count();

    PolicyException e = assertThrows(PolicyException.class, () -> PolicyText.load(yaml));

    assertEquals(1, e.errors().size(), e.getMessage());
    assertTrue(e.errors().get(0).toString().startsWith("test.yaml:" + line + ": " + expected),
        e.getMessage());
  }
}
