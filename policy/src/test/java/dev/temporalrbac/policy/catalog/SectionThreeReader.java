package dev.temporalrbac.policy.catalog;

import dev.temporalrbac.policy.model.AccountRole;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PERMISSIONS.md §3 (its method table, the "seed wins" sentence and the server's
 * access-level table) into rows of {@value ExpectedPermissions#UNLISTED}, so that the vendored
 * file can be checked against the document. Knows the few phrases §3 uses for who may call a
 * method; a phrase it does not know fails, naming the row, rather than being guessed at.
 */
final class SectionThreeReader {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  /** A clause naming its own methods inside a rule cell: {@code `Create/DeleteX`: roles}. */
  private static final Pattern OWN_METHODS = Pattern.compile("^\\s*`([^`]+)`:\\s*(.+)$");
  private static final Pattern VERB_NOUN = Pattern.compile("^([A-Z][a-z]+)(.+)$");
  private static final String SEED_WINS =
      "Where the seed and the open-source server disagree, the seed wins:";
  private static final Map<String, AccountRole> ROLE_NAMES = new LinkedHashMap<>();

  static {
    ROLE_NAMES.put("Read-only", AccountRole.READ_ONLY);
    ROLE_NAMES.put("Finance Admin", AccountRole.FINANCE_ADMIN);
    ROLE_NAMES.put("Developer", AccountRole.DEVELOPER);
    ROLE_NAMES.put("Global Admin", AccountRole.GLOBAL_ADMIN);
    ROLE_NAMES.put("Account Owner", AccountRole.ACCOUNT_OWNER);
  }

  private SectionThreeReader() {}

  /** The §3 rows of {@code document} (PERMISSIONS.md's lines), in document order. */
  static List<String> rowsOf(List<String> document) {
    List<String> rows = new ArrayList<>();
    boolean inSection = false;
    String table = null;
    StringBuilder paragraph = new StringBuilder();
    for (String line : document) {
      if (inSection && !line.isBlank() && !line.startsWith("|") && !line.startsWith("## ")) {
        paragraph.append(paragraph.length() == 0 ? "" : " ").append(line.trim());
        table = null;
        continue;
      }
      if (paragraph.indexOf(SEED_WINS) == 0) {
        seedWins(paragraph.toString(), rows);
      }
      paragraph.setLength(0);
      if (line.startsWith("## ")) {
        inSection = line.startsWith("## 3.");
        continue;
      }
      if (!inSection) {
        continue;
      }
      if (line.startsWith("| Method(s) |")) {
        table = "methods";
      } else if (line.startsWith("| Needs Read |")) {
        table = "server";
      } else if (!line.startsWith("|")) {
        table = null;
      } else if (!line.startsWith("|---") && table != null) {
        String[] cells = line.split("\\|");
        if (table.equals("methods")) {
          methodRow(cells[1], cells[2], rows);
        } else {
          serverRow(cells[1], "namespace=read", rows);
          serverRow(cells[2], "namespace=write", rows);
        }
      }
    }
    if (paragraph.indexOf(SEED_WINS) == 0) {
      seedWins(paragraph.toString(), rows);
    }
    if (rows.isEmpty()) {
      throw new AssertionError("no §3 rules found: is there a '## 3.' section with a"
          + " '| Method(s) | Rule |' table?");
    }
    return rows;
  }

  private static void methodRow(String methodsCell, String ruleCell, List<String> rows) {
    String[] clauses = ruleCell.split(";");
    String who = who(clauses[0], ruleCell);
    if (who == null) {
      return; // the server-level table and "deny" are read elsewhere or need no row
    }
    String response = "";
    String service = null;
    List<String[]> methods = new ArrayList<>();
    Matcher code = CODE.matcher(methodsCell);
    while (code.find()) {
      String token = code.group(1);
      int slash = token.lastIndexOf('/');
      if (slash >= 0) {
        String qualified = token.substring(0, slash);
        service = qualified.substring(qualified.lastIndexOf('.') + 1);
        token = token.substring(slash + 1);
      }
      for (String method : plural(token)) {
        methods.add(new String[] {service, method});
      }
    }
    List<String> own = new ArrayList<>();
    for (int i = 1; i < clauses.length; i++) {
      Matcher clause = OWN_METHODS.matcher(clauses[i]);
      if (clause.matches()) {
        String theirs = who(clause.group(2), ruleCell);
        for (String method : verbs(clause.group(1))) {
          own.add(row(service, method, theirs, ""));
        }
      } else if (clauses[i].contains("lists only namespaces the caller may Read")) {
        response = "only-readable-namespaces";
      } else if (!clauses[i].trim().equals("Global Admin / Account Owner without it")) {
        // that one is §5's rule for a call naming no namespace (admins only), decided by the
        // engine for every method alike; any other clause would be a rule this reader drops
        throw new AssertionError("§3 rule '" + ruleCell.trim() + "': unknown clause '"
            + clauses[i].trim() + "'; teach SectionThreeReader to read it");
      }
    }
    for (String[] method : methods) {
      rows.add(row(method[0], method[1], who, response));
    }
    rows.addAll(own);
  }

  /** Who a §3 phrase names, in the file's form; null for rows that need none of their own. */
  private static String who(String phrase, String cell) {
    String text = phrase.trim();
    if (text.startsWith("the server's own access level") || text.startsWith("deny")) {
      return null;
    }
    if (text.startsWith("any caller")) {
      return "any-caller";
    }
    if (text.startsWith("any authenticated principal")) {
      return "any-authenticated";
    }
    if (text.startsWith("Namespace Admin")) {
      return "namespace=admin";
    }
    if (text.equals("Read") || text.startsWith("Read ")) {
      return "namespace=read";
    }
    if (text.equals("Write") || text.startsWith("Write ")) {
      return "namespace=write";
    }
    Set<AccountRole> roles = EnumSet.noneOf(AccountRole.class);
    if (text.contains("every account role")) {
      roles.addAll(EnumSet.allOf(AccountRole.class));
    }
    ROLE_NAMES.forEach((name, role) -> {
      if (text.contains(name)) {
        roles.add(role);
      }
    });
    if (roles.isEmpty()) {
      throw new AssertionError("cannot tell who may call from §3's rule '" + cell.trim() + "'");
    }
    return "roles=" + String.join(",", ExpectedPermissions.yamlNames(roles));
  }

  private static void seedWins(String line, List<String> rows) {
    if (!line.contains("need Write")) {
      throw new AssertionError("§3's 'seed wins' sentence no longer says 'need Write': " + line);
    }
    Matcher code = CODE.matcher(line);
    while (code.find()) {
      rows.add(row("WorkflowService", code.group(1), "namespace=write", "", "§3 seed wins"));
    }
  }

  private static void serverRow(String cell, String who, List<String> rows) {
    for (String method : cell.split(",")) {
      if (!method.isBlank()) {
        rows.add(row("WorkflowService", method.trim(), who, "", "§3 server access level"));
      }
    }
  }

  /** {@code GetCustomRole(s)} → both names. */
  private static List<String> plural(String token) {
    if (!token.endsWith("(s)")) {
      return List.of(token);
    }
    String singular = token.substring(0, token.length() - 3);
    return List.of(singular, singular + "s");
  }

  /** {@code Create/Update/DeleteCustomRole} → the three names. */
  private static List<String> verbs(String token) {
    String[] parts = token.split("/");
    Matcher last = VERB_NOUN.matcher(parts[parts.length - 1]);
    if (!last.matches()) {
      throw new AssertionError("cannot read the method names '" + token + "' in §3");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parts.length - 1; i++) {
      names.add(parts[i] + last.group(2));
    }
    names.add(parts[parts.length - 1]);
    return names;
  }

  private static String row(String service, String method, String who, String response) {
    return row(service, method, who, response, "§3");
  }

  private static String row(String service, String method, String who, String response,
      String source) {
    if (service == null) {
      throw new AssertionError("§3 names " + method + " without a service before it");
    }
    return String.join("\t", service, method, who, response, source);
  }
}
