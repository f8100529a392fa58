package dev.temporalrbac.policy.catalog;

import static dev.temporalrbac.policy.model.AccountRole.ACCOUNT_OWNER;
import static dev.temporalrbac.policy.model.AccountRole.DEVELOPER;
import static dev.temporalrbac.policy.model.AccountRole.FINANCE_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.GLOBAL_ADMIN;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may call each method, read from the vendored data alone: the seed's facts ({@value #FACTS},
 * read as PERMISSIONS.md §1 says) and the PERMISSIONS.md §3 rules ({@value #UNLISTED}). Never
 * from the production rule classes, so a test that takes its expectations from here catches a
 * wrong rule in {@link RuleTable}. Immutable; loaded once.
 */
public final class ExpectedPermissions {
  public static final String FACTS = "/seeds/permission-facts.tsv";
  public static final String UNLISTED = "/seeds/unlisted-method-rules.tsv";
  public static final String RUNTIME = "/seeds/runtime-behaviour-requests.tsv";

  /** Who may call a method, as data. */
  public enum Access { ANY_CALLER, ANY_AUTHENTICATED, ROLES, NAMESPACE }

  /**
   * One method's expectation.
   *
   * @param service the service's simple name, e.g. {@code WorkflowService}
   * @param roles for {@link Access#ROLES}: the account roles that may call it
   * @param permission for {@link Access#NAMESPACE}: the least permission needed on the namespace
   * @param onlyReadableNamespaces the response must list only namespaces the caller may Read
   * @param source the file and row it comes from, for messages
   */
  public record Expectation(String service, String method, Access access, Set<AccountRole> roles,
      NamespacePermission permission, boolean onlyReadableNamespaces, String source) {

    /** {@code WorkflowService/TerminateWorkflowExecution}. */
    public String shortName() {
      return service + "/" + method;
    }

    public boolean everyRole() {
      return roles.equals(EnumSet.allOf(AccountRole.class));
    }

    /** The rule in words, e.g. {@code namespace write} or {@code roles global_admin, ...}. */
    public String inWords() {
      switch (access) {
        case ANY_CALLER:
          return "any caller";
        case ANY_AUTHENTICATED:
          return "any authenticated principal";
        case NAMESPACE:
          return "namespace " + permission.yamlName();
        default:
          return everyRole()
              ? "every account role" : "roles " + String.join(", ", yamlNames(roles));
      }
    }
  }

  /** A row of {@value #RUNTIME}: how the matrix sends a runtime-behaviour method. */
  public record RuntimeRequest(String method, String marker, String request, String why) {}

  private static final Map<String, Expectation> EXPECTATIONS = load();

  private ExpectedPermissions() {}

  /** Every expectation, keyed by {@code Service/Method}; one per method. */
  public static Map<String, Expectation> all() {
    return EXPECTATIONS;
  }

  /** The runtime-behaviour rows, in file order. */
  public static List<RuntimeRequest> runtimeRequests() {
    List<RuntimeRequest> rows = new ArrayList<>();
    for (String line : rows(RUNTIME)) {
      String[] f = fields(line, 4, RUNTIME);
      rows.add(new RuntimeRequest(f[0], f[1], f[2], f[3]));
    }
    return rows;
  }

  /** The data lines (no comments, no blank lines) of a vendored resource; missing fails. */
  public static List<String> rows(String resource) {
    try (InputStream in = ExpectedPermissions.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("the vendored data " + resource + " is missing from the test"
            + " resources (policy/src/test/resources" + resource + ")");
      }
      List<String> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          rows.add(line);
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code relative} in the working directory or up to 5 of its parents, or null. */
  public static Path findShared(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (int up = 0; up <= 5 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** PERMISSIONS.md §1: account-level ticks, right-aligned; GetUsage is the one exception. */
  public static Set<AccountRole> accountRoles(String method, int ticks) {
    switch (ticks) {
      case 5:
        return EnumSet.allOf(AccountRole.class);
      case 3:
        return method.equals("GetUsage")
            ? EnumSet.of(FINANCE_ADMIN, GLOBAL_ADMIN, ACCOUNT_OWNER)
            : EnumSet.of(DEVELOPER, GLOBAL_ADMIN, ACCOUNT_OWNER);
      case 2:
        return EnumSet.of(GLOBAL_ADMIN, ACCOUNT_OWNER);
      default:
        throw new AssertionError("unexpected account-level tick count " + ticks + " for " + method);
    }
  }

  /** PERMISSIONS.md §1: namespace/workflow ticks, right-aligned: the least permission needed. */
  public static NamespacePermission minimalPermission(String method, int ticks) {
    switch (ticks) {
      case 1:
        return NamespacePermission.ADMIN;
      case 2:
        return NamespacePermission.WRITE;
      case 3:
        return NamespacePermission.READ;
      default:
        throw new AssertionError("unexpected tick count " + ticks + " for " + method);
    }
  }

  /**
   * Parses a {@value #UNLISTED} row ({@code service, method, who, response, source}). A malformed
   * row fails naming the row.
   */
  public static Expectation parseUnlisted(String line) {
    String[] f = fields(line, 5, UNLISTED);
    if (!f[3].isEmpty() && !f[3].equals("only-readable-namespaces")) {
      throw new AssertionError("unknown response '" + f[3] + "' in " + UNLISTED + ": " + line);
    }
    return whoOf(f[0], f[1], f[2], !f[3].isEmpty(), "unlisted-method-rules.tsv (" + f[4] + ")",
        UNLISTED, line);
  }

  /** The expectation a "who" cell states: any-caller, any-authenticated, roles=..., namespace=.... */
  private static Expectation whoOf(String service, String method, String who,
      boolean onlyReadableNamespaces, String source, String resource, String line) {
    Access access;
    Set<AccountRole> roles = Set.of();
    NamespacePermission permission = null;
    if (who.equals("any-caller")) {
      access = Access.ANY_CALLER;
    } else if (who.equals("any-authenticated")) {
      access = Access.ANY_AUTHENTICATED;
    } else if (who.startsWith("roles=")) {
      access = Access.ROLES;
      roles = EnumSet.noneOf(AccountRole.class);
      for (String name : who.substring("roles=".length()).split(",")) {
        roles.add(AccountRole.parse(name).orElseThrow(
            () -> new AssertionError("unknown role '" + name + "' in " + resource + ": " + line)));
      }
    } else if (who.startsWith("namespace=")) {
      access = Access.NAMESPACE;
      permission = NamespacePermission.parse(who.substring("namespace=".length())).orElseThrow(
          () -> new AssertionError("unknown permission in " + resource + ": " + line));
    } else {
      throw new AssertionError("unknown 'who' '" + who + "' in " + resource + ": " + line);
    }
    return new Expectation(service, method, access, Collections.unmodifiableSet(roles),
        permission, onlyReadableNamespaces, source);
  }

  /** The role names in declaration order, e.g. {@code [global_admin, account_owner]}. */
  public static List<String> yamlNames(Set<AccountRole> roles) {
    List<String> names = new ArrayList<>();
    for (AccountRole role : AccountRole.values()) {
      if (roles.contains(role)) {
        names.add(role.yamlName());
      }
    }
    return names;
  }

  private static Map<String, Expectation> load() {
    Map<String, Expectation> all = new LinkedHashMap<>();
    for (String line : rows(FACTS)) {
      Expectation fact = parseFact(line);
      if (all.put(fact.shortName(), fact) != null) {
        throw new AssertionError(fact.shortName() + " appears twice in " + FACTS);
      }
    }
    Set<String> unlisted = new HashSet<>();
    for (String line : rows(UNLISTED)) {
      Expectation rule = parseUnlisted(line);
      if (!unlisted.add(rule.shortName())) {
        throw new AssertionError(rule.shortName() + " appears twice in " + UNLISTED);
      }
      Expectation fact = all.putIfAbsent(rule.shortName(), rule);
      if (fact != null && !sameRule(fact, rule)) {
        // a §3 line on a method the seed lists (GetSearchAttributes, "seed wins") restates it
        throw new AssertionError(rule.shortName() + ": " + rule.source() + " says " + rule.inWords()
            + " but " + fact.source() + " says " + fact.inWords());
      }
    }
    return Collections.unmodifiableMap(all);
  }

  private static boolean sameRule(Expectation a, Expectation b) {
    return a.access() == b.access() && a.roles().equals(b.roles())
        && a.permission() == b.permission()
        && a.onlyReadableNamespaces() == b.onlyReadableNamespaces();
  }

  /**
   * A {@value #FACTS} row ({@code table, method, ticks, marker, who}): the expectation is the
   * "who" column, which must be what the ticks say when read as §1 says (a reviewer reads the
   * column; the ticks tie it to the seed).
   */
  static Expectation parseFact(String line) {
    String[] f = fields(line, 5, FACTS);
    int ticks = Integer.parseInt(f[2]);
    String source = "permission-facts.tsv (" + f[0] + "-level table, " + ticks + " ticks"
        + (f[3].isEmpty() ? "" : ", marker " + f[3]) + ")";
    String service = f[0].equals("workflow") ? "WorkflowService" : "CloudService";
    Expectation stated = whoOf(service, f[1], f[4], false, source, FACTS, line);
    Expectation read = switch (f[0]) {
      case "account" -> new Expectation(service, f[1], Access.ROLES,
          Collections.unmodifiableSet(accountRoles(f[1], ticks)), null, false, source);
      case "namespace", "workflow" -> new Expectation(service, f[1], Access.NAMESPACE, Set.of(),
          minimalPermission(f[1], ticks), false, source);
      default -> throw new AssertionError("unknown table in " + FACTS + ": " + line);
    };
    if (!sameRule(stated, read)) {
      throw new AssertionError(FACTS + ": " + f[1] + " states " + stated.inWords() + " but its "
          + ticks + " ticks read " + read.inWords() + " (PERMISSIONS.md §1): " + line);
    }
    return stated;
  }

  private static String[] fields(String line, int count, String resource) {
    String[] fields = line.split("\t", -1);
    if (fields.length != count) {
      throw new AssertionError(resource + ": expected " + count + " tab-separated fields, got "
          + fields.length + ": " + line);
    }
    return fields;
  }
}
