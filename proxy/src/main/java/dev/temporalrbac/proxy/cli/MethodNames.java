package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the method {@code explain} is asked about in any of the forms a user has at hand: the full
 * gRPC name ({@code temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution}, also
 * with a leading {@code /}), the short form every deny message prints
 * ({@code WorkflowService/StartWorkflowExecution}) or the bare method when only one service has
 * it. A full name is taken as given, known or not, since the proxy decides unknown methods too
 * (it denies them); a short or bare name that matches no method, or several, is an error listing
 * the candidates. Stateless.
 */
final class MethodNames {
  /** Candidates listed for a name that matches nothing. */
  private static final int CLOSEST = 5;

  private MethodNames() {}

  /**
   * The full method name {@code given} stands for.
   *
   * @throws IllegalArgumentException naming the candidates when a short or bare name is unknown
   *     or ambiguous
   */
  static String resolve(MethodCatalog catalog, String given) {
    String name = given.startsWith("/") ? given.substring(1) : given;
    int slash = name.indexOf('/');
    if (slash >= 0 && name.substring(0, slash).contains(".")) {
      return name; // the full name
    }
    List<String> matches = catalog.entries().stream()
        .map(CatalogEntry::fullMethodName)
        .filter(full -> slash >= 0 ? full.endsWith("." + name) : full.endsWith("/" + name))
        .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException("method " + given + " is ambiguous: give one of "
          + String.join(", ", shortNames(matches)));
    }
    List<String> closest = closest(catalog, name);
    throw new IllegalArgumentException("no method " + given + " in the catalog"
        + (closest.isEmpty() ? " ('matrix' lists them)"
            : "; did you mean " + String.join(", ", closest) + "? ('matrix' lists them all)"));
  }

  /** {@code Service/Method} for each full name: what the user can type back. */
  private static List<String> shortNames(List<String> fullNames) {
    return fullNames.stream().map(MethodNames::shortName).sorted().toList();
  }

  private static String shortName(String full) {
    int slash = full.indexOf('/');
    return full.substring(full.lastIndexOf('.', slash) + 1);
  }

  /**
   * The catalog's short names nearest to {@code name}, ignoring case: those that contain it
   * first, then those a few edits away.
   */
  private static List<String> closest(MethodCatalog catalog, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    boolean withService = wanted.contains("/");
    int limit = Math.max(2, wanted.length() / 4);
    return catalog.entries().stream()
        .map(entry -> shortName(entry.fullMethodName()))
        .map(candidate -> {
          String compared = (withService ? candidate
              : candidate.substring(candidate.indexOf('/') + 1)).toLowerCase(Locale.ROOT);
          return new Scored(candidate,
              compared.contains(wanted) ? 0 : EditDistance.between(wanted, compared));
        })
        .filter(scored -> scored.distance <= limit)
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .limit(CLOSEST)
        .map(Scored::name)
        .toList();
  }

  private record Scored(String name, int distance) {}
}
