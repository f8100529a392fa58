package dev.temporalrbac.policy.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

/**
 * What one request says about itself: the namespaces it acts on and the fields the runtime
 * behaviours look at. Filled by {@link RequestReader}; reusable after {@link #clear()}. Not
 * thread-safe.
 */
public final class RequestFacts implements FactSink {
  private final List<String> namespaces = new ArrayList<>(4);
  private final List<String> namespaceIds = new ArrayList<>(2);
  private final String[] values = new String[Fact.values().length];
  private final EnumSet<Fact> present = EnumSet.noneOf(Fact.class);
  private NamespaceNames knownNames;

  /** Known names to reuse for namespace facts (the policy's), or null to decode every one. */
  public void useKnownNames(NamespaceNames names) {
    this.knownNames = names;
  }

  public void clear() {
    namespaces.clear();
    namespaceIds.clear();
    java.util.Arrays.fill(values, null);
    present.clear();
  }

  /** Non-empty namespace names of the body, in plan order; may repeat. Read-only view. */
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

  /** Non-empty namespace ids of the body. Read-only view. */
  public List<String> namespaceIds() {
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
      namespaces.add(namespace);
    }
  }

  @Override
  public void acceptString(Fact fact, byte[] buffer, int start, int end)
      throws MalformedRequestException {
    if (!Utf8Check.isValid(buffer, start, end)) {
      throw new MalformedRequestException("field for " + fact.name().toLowerCase()
          + " is not valid UTF-8");
    }
    if (start == end) {
      return;
    }
    String known = fact == Fact.NAMESPACE && knownNames != null
        ? knownNames.lookup(buffer, start, end) : null;
    String value = known != null ? known
        : new String(buffer, start, end - start, StandardCharsets.UTF_8);
    switch (fact) {
      case NAMESPACE:
        namespaces.add(value);
        break;
      case NAMESPACE_ID:
        namespaceIds.add(value);
        break;
      default:
        values[fact.ordinal()] = value;
        present.add(fact);
    }
  }

  @Override
  public void markPresent(Fact fact) {
    present.add(fact);
  }
}
