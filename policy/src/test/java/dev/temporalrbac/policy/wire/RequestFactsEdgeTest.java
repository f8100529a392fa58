package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestFacts} fed directly, one occurrence at a time, as the scanner feeds it: empty
 * values, distinct values in order of first occurrence (few and many), single-valued facts sent
 * twice, the bounds on unlisted names and namespace ids, and {@code clear}.
 */
class RequestFactsEdgeTest {
  private final RequestFacts facts = new RequestFacts();

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds {@code value} from the middle of a larger buffer, as the scanner does. */
  private void accept(Fact fact, String value) throws MalformedRequestException {
    byte[] inner = utf8(value);
    byte[] buffer = new byte[inner.length + 6];
    buffer[0] = 'x';
    buffer[1] = 'y';
    buffer[2] = 'z';
    System.arraycopy(inner, 0, buffer, 3, inner.length);
    buffer[buffer.length - 1] = 'q';
    facts.acceptString(fact, buffer, 3, 3 + inner.length);
  }

  @Test
  void emptyNamespacesAndIdsAreNotNamed() throws Exception {
    accept(Fact.NAMESPACE, "");
    accept(Fact.NAMESPACE_ID, "");
    facts.addNamespace("");
    assertEquals(0, facts.namespaceCount());
    assertEquals(List.of(), facts.namespaces());
    assertEquals(0, facts.namespaceIdCount());
    assertEquals(List.of(), facts.namespaceIds());
  }

  @Test
  void distinctNamesAreKeptOnceInOrderOfFirstOccurrence() throws Exception {
    accept(Fact.NAMESPACE, "b");
    facts.addNamespace("a");
    accept(Fact.NAMESPACE, "b");
    facts.addNamespace(new String(new char[] {'a'}));
    accept(Fact.NAMESPACE, "c");
    assertEquals(List.of("b", "a", "c"), facts.namespaces());
    assertEquals(3, facts.namespaceCount());
    assertEquals("a", facts.namespace(1));
  }

  @Test
  void manyDistinctNamesAreKeptOnceEach() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add("ns-" + i);
    }
    for (int round = 0; round < 3; round++) {
      for (String name : expected) {
        accept(Fact.NAMESPACE, name);
      }
    }
    assertEquals(expected, facts.namespaces());
    facts.addNamespace("ns-7");
    facts.addNamespace("ns-40");
    assertEquals(41, facts.namespaceCount());
    assertEquals("ns-40", facts.namespace(40));
  }

  @Test
  void namespaceIdsAreKeptOnceEachUpToTheBound() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < RequestFacts.MAX_NAMESPACE_IDS; i++) {
        accept(Fact.NAMESPACE_ID, "id-" + i);
      }
    }
    assertEquals(RequestFacts.MAX_NAMESPACE_IDS, facts.namespaceIdCount());
    assertEquals("id-3", facts.namespaceId(3));
    MalformedRequestException tooMany = assertThrows(MalformedRequestException.class,
        () -> accept(Fact.NAMESPACE_ID, "id-one-more"));
    assertTrue(tooMany.getMessage().contains("more than " + RequestFacts.MAX_NAMESPACE_IDS),
        tooMany.getMessage());
  }

  @Test
  void aSingleValuedFactMayRepeatOnlyWithTheSameValue() throws Exception {
    accept(Fact.OWNER_ID, "alice");
    accept(Fact.OWNER_ID, "alice");
    assertEquals("alice", facts.value(Fact.OWNER_ID));
    assertTrue(facts.present(Fact.OWNER_ID));

    MalformedRequestException differs = assertThrows(MalformedRequestException.class,
        () -> accept(Fact.OWNER_ID, "alicf"));
    assertTrue(differs.getMessage().startsWith("owner_id appears more than once"),
        differs.getMessage());
    assertThrows(MalformedRequestException.class, () -> accept(Fact.OWNER_ID, "alic"));
    assertThrows(MalformedRequestException.class, () -> accept(Fact.OWNER_ID, ""));
  }

  @Test
  void aRepeatedNonAsciiValueIsComparedByItsCharacters() throws Exception {
    accept(Fact.KEY_ID, "clé-ü");
    accept(Fact.KEY_ID, "clé-ü");
    assertEquals("clé-ü", facts.value(Fact.KEY_ID));
    // same UTF-8 length, other characters
    assertThrows(MalformedRequestException.class, () -> accept(Fact.KEY_ID, "clé-ö"));
  }

  @Test
  void anEmptySingleValueCountsAsAValueButNotAsPresent() throws Exception {
    accept(Fact.SERVICE_ACCOUNT_ID, "");
    assertFalse(facts.present(Fact.SERVICE_ACCOUNT_ID));
    assertEquals("", facts.value(Fact.SERVICE_ACCOUNT_ID));
    accept(Fact.SERVICE_ACCOUNT_ID, "");
    assertThrows(MalformedRequestException.class, () -> accept(Fact.SERVICE_ACCOUNT_ID, "sa"));
  }

  @Test
  void invalidUtf8IsMalformedAndNamesTheField() {
    byte[] bad = {'o', (byte) 0xC0, (byte) 0x80};
    MalformedRequestException e = assertThrows(MalformedRequestException.class,
        () -> facts.acceptString(Fact.SCOPED_NAMESPACE, bad, 0, bad.length));
    assertEquals("spec.namespace_scoped_access.namespace is not valid UTF-8", e.getMessage());
  }

  @Test
  void unlistedNamesAreKeptUpToTheBoundAndListedOnesAlways() throws Exception {
    facts.useKnownNames(NamespaceNames.of(Set.of("known-a", "known-b")));
    accept(Fact.NAMESPACE, "known-a");
    for (int i = 0; i < RequestFacts.MAX_UNLISTED; i++) {
      accept(Fact.NAMESPACE, "u-" + i);
      if (i + 1 < RequestFacts.MAX_UNLISTED) {
        accept(Fact.NAMESPACE, "u-" + i); // a repeat below the bound is no new name
      }
    }
    assertFalse(facts.unlistedDropped());
    assertEquals(1 + RequestFacts.MAX_UNLISTED, facts.namespaceCount());
    accept(Fact.NAMESPACE, "u-extra");
    assertTrue(facts.unlistedDropped());
    accept(Fact.NAMESPACE, "known-b");
    assertEquals(2 + RequestFacts.MAX_UNLISTED, facts.namespaceCount());
    assertEquals("known-b", facts.namespace(facts.namespaceCount() - 1));
    assertFalse(facts.namespaces().contains("u-extra"));
  }

  @Test
  void clearForgetsEverything() throws Exception {
    facts.useKnownNames(NamespaceNames.of(Set.of("k")));
    for (int i = 0; i <= RequestFacts.MAX_UNLISTED; i++) {
      accept(Fact.NAMESPACE, "u-" + i);
    }
    accept(Fact.NAMESPACE_ID, "id");
    accept(Fact.OWNER_ID, "alice");
    facts.markPresent(Fact.TAGS);
    assertTrue(facts.unlistedDropped());

    facts.clear();
    assertFalse(facts.unlistedDropped());
    assertEquals(0, facts.namespaceCount());
    assertEquals(0, facts.namespaceIdCount());
    assertEquals("", facts.value(Fact.OWNER_ID));
    assertFalse(facts.present(Fact.OWNER_ID));
    assertFalse(facts.present(Fact.TAGS));
    accept(Fact.OWNER_ID, "bob"); // no conflict with the value before clear
    assertEquals("bob", facts.value(Fact.OWNER_ID));
    for (int i = 0; i < RequestFacts.MAX_UNLISTED; i++) {
      accept(Fact.NAMESPACE, "v-" + i);
    }
    assertFalse(facts.unlistedDropped(), "the unlisted count starts again");
  }
}
