package dev.temporalrbac.policy.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;

/**
 * What one request says about itself: the namespaces it acts on and the fields the runtime
 * behaviours look at. Filled by {@link RequestReader}; reusable after {@link #clear()}. Not
 * thread-safe.
 *
 * <p>Namespace facts keep every distinct non-empty occurrence, with two bounds so a hostile body
 * costs memory in proportion to the policy, not to the body: with {@linkplain #useKnownNames known
 * names} given, only the first {@value #MAX_UNLISTED} distinct names the policy does not list are
 * kept and later ones are dropped, and {@link #unlistedDropped()} says so: the authorizer then
 * allows the call only to a caller whose permission on every namespace suffices (a token's
 * permissions claim may grant unlisted namespaces, but a dropped name cannot be checked by name);
 * more than {@value #MAX_NAMESPACE_IDS} distinct namespace ids make the body malformed (every id
 * must be mapped and checked, and a real request names one). Single-valued string facts must
 * agree across their occurrences (an empty occurrence counts as a value): a request that sends
 * one twice with different values is {@linkplain MalformedRequestException malformed}, because
 * parsers differ on which occurrence they keep. Presence facts are present when any occurrence is.
 */
public final class RequestFacts implements FactSink {
  /** Up to this many distinct names are deduplicated by a linear scan; beyond, by a hash set. */
  private static final int LINEAR_LIMIT = 8;
  /** Distinct namespace names the policy does not list that are kept (for messages, audit). */
  public static final int MAX_UNLISTED = 16;
  /** Distinct namespace ids a body may name. */
  public static final int MAX_NAMESPACE_IDS = 16;

  private final List<String> namespaces = new ArrayList<>(4);
  private final List<String> namespaceIds = new ArrayList<>(2);
  /** Created only for a request naming many distinct namespaces; dropped by {@link #clear()}. */
  private HashSet<String> manyNamespaces;
  private HashSet<String> manyNamespaceIds;
  private final String[] values = new String[Fact.values().length];
  private final EnumSet<Fact> present = EnumSet.noneOf(Fact.class);
  private NamespaceNames knownNames;
  private int unlistedKept;
  /** Some unlisted name was dropped past {@link #MAX_UNLISTED}: it could not be checked by name. */
  private boolean unlistedDropped;

  /** Known names to reuse for namespace facts (the policy's), or null to decode every one. */
  public void useKnownNames(NamespaceNames names) {
    this.knownNames = names;
  }

  public void clear() {
    namespaces.clear();
    namespaceIds.clear();
    manyNamespaces = null;
    manyNamespaceIds = null;
    unlistedKept = 0;
    unlistedDropped = false;
    Arrays.fill(values, null);
    present.clear();
  }

  /**
   * More than {@link #MAX_UNLISTED} distinct unlisted names were named and some were dropped
   * (possibly with a few repeated ones counted; a false positive only makes the check stricter).
   */
  public boolean unlistedDropped() {
    return unlistedDropped;
  }

  /** Distinct non-empty namespace names of the body, in order of first occurrence. Read-only. */
  public List<String> namespaces() {
    return Collections.unmodifiableList(namespaces);
  }

  /** How many namespaces {@link #namespaces()} holds (index access avoids an iterator per call). */
  public int namespaceCount() {
    return namespaces.size();
  }

  public String namespace(int index) {
    return namespaces.get(index);
  }

  public int namespaceIdCount() {
    return namespaceIds.size();
  }

  public String namespaceId(int index) {
    return namespaceIds.get(index);
  }

  /** Distinct non-empty namespace ids of the body. Read-only view. */
  List<String> namespaceIds() {
    return Collections.unmodifiableList(namespaceIds);
  }

  /** The value of a single-valued string fact, or {@code ""} when absent. */
  public String value(Fact fact) {
    String value = values[fact.ordinal()];
    return value == null ? "" : value;
  }

  /** Whether a presence fact's field occurred (or a string fact had a non-empty value). */
  public boolean present(Fact fact) {
    return present.contains(fact);
  }

  /** Adds a namespace read elsewhere (tests, or the {@code explain} command). */
  public void addNamespace(String namespace) {
    if (!namespace.isEmpty()) {
      manyNamespaces = addDistinct(namespaces, manyNamespaces, namespace);
    }
  }

  @Override
  public void acceptString(Fact fact, byte[] buffer, int start, int end)
      throws MalformedRequestException {
    if (!Utf8Check.isValid(buffer, start, end)) {
      throw new MalformedRequestException(fact.field() + " is not valid UTF-8");
    }
    switch (fact) {
      case NAMESPACE:
        if (start < end) {
          acceptNamespace(buffer, start, end);
        }
        break;
      case NAMESPACE_ID:
        if (start < end) {
          manyNamespaceIds = addDistinct(namespaceIds, manyNamespaceIds,
              decode(buffer, start, end));
          if (namespaceIds.size() > MAX_NAMESPACE_IDS) {
            throw new MalformedRequestException("the body names more than " + MAX_NAMESPACE_IDS
                + " distinct namespace ids");
          }
        }
        break;
      default:
        acceptSingle(fact, buffer, start, end);
    }
  }

  @Override
  public void markPresent(Fact fact) {
    present.add(fact);
  }

  private void acceptNamespace(byte[] buffer, int start, int end) {
    if (knownNames == null) {
      manyNamespaces = addDistinct(namespaces, manyNamespaces, decode(buffer, start, end));
      return;
    }
    String known = knownNames.lookup(buffer, start, end);
    if (known != null) {
      manyNamespaces = addDistinct(namespaces, manyNamespaces, known);
    } else if (unlistedKept < MAX_UNLISTED) {
      int before = namespaces.size();
      manyNamespaces = addDistinct(namespaces, manyNamespaces, decode(buffer, start, end));
      unlistedKept += namespaces.size() - before;
    } else {
      unlistedDropped = true;
    }
  }

  private void acceptSingle(Fact fact, byte[] buffer, int start, int end)
      throws MalformedRequestException {
    String earlier = values[fact.ordinal()];
    if (earlier == null) {
      String value = decode(buffer, start, end);
      values[fact.ordinal()] = value;
      if (!value.isEmpty()) {
        present.add(fact);
      }
    } else if (!sameBytes(earlier, buffer, start, end)) {
      throw new MalformedRequestException(fact.field() + " appears more than once with"
          + " different values; send it once (parsers disagree on which value they keep)");
    }
  }

  /**
   * Appends {@code value} unless {@code list} holds it; returns the hash set that mirrors a list
   * grown past {@link #LINEAR_LIMIT}, so deduplication stays linear in the occurrences.
   */
  private static HashSet<String> addDistinct(List<String> list, HashSet<String> set, String value) {
    if (set != null) {
      if (set.add(value)) {
        list.add(value);
      }
      return set;
    }
    for (int i = 0; i < list.size(); i++) {
      String held = list.get(i);
      if (held == value || held.equals(value)) {
        return null;
      }
    }
    list.add(value);
    if (list.size() <= LINEAR_LIMIT) {
      return null;
    }
    return new HashSet<>(list);
  }

  private static boolean sameBytes(String value, byte[] buffer, int start, int end) {
    if (value.length() == end - start) {
      // ASCII (the usual case) compares without decoding; anything else decodes
      boolean ascii = true;
      for (int i = 0; i < value.length() && ascii; i++) {
        char c = value.charAt(i);
        ascii = c < 0x80 && c == buffer[start + i];
      }
      if (ascii) {
        return true;
      }
    }
    return value.equals(decode(buffer, start, end));
  }

  private static String decode(byte[] buffer, int start, int end) {
    return new String(buffer, start, end - start, StandardCharsets.UTF_8);
  }
}
