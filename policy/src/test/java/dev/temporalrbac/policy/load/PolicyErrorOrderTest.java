package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The errors of a rejected document come in line order, whatever order the sections are read
 * in, and an error that only follows from another one (a reference to an entry that was itself
 * rejected, the keys of a value that is not a mapping at all) is not reported.
 */
class PolicyErrorOrderTest {
  private static final String ROLES = " (expected one of account_owner, global_admin, developer,"
      + " finance_admin, read_only)";
  private static final String HASH_A = "a".repeat(64);
  private static final String HASH_B = "b".repeat(64);

  private static List<String> errorsOf(String... lines) {
    byte[] document = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse(
        document, "p.yaml", Instant.parse("2026-06-01T00:00:00Z")));
    return e.errors().stream().map(PolicyError::toString).toList();
  }

  @Test
  void errorsOfAFileWithSeveralAreListedInLineOrderWithoutFollowOns() {
    List<String> errors = errorsOf(
        "api_keys:",                                       // 1  read after the principals
        "  - id: k-alice",                                 // 2
        "    owner: alice",                                // 3  alice is rejected: no follow-on
        "    sha256: 12",                                  // 4  bad hash
        "  - id: k-ghost",                                 // 5
        "    owner: ghost",                                // 6  no such entry at all
        "    sha256: " + HASH_B,                           // 7
        "users:",                                          // 8
        "  - id: alice",                                   // 9
        "    role: wizard",                                // 10 unknown role
        "  - id: bob",                                     // 11 role missing: 'rol' instead
        "    rol: developer",                              // 12 unknown key
        "  - carol",                                       // 13 not a mapping: no "id missing"
        "groups:",                                         // 14 read before users
        "  - id: ops",                                     // 15
        "    role: boss",                                  // 16 unknown role
        "service_accounts:",                               // 17
        "  - id: ci",                                      // 18
        "    namespace_scoped: {namespace: orders, permission: root}", // 19 unknown permission
        "namespaces:",                                     // 20
        "  - name: orders",                                // 21
        "    created_by: ci",                              // 22 ci is rejected: no follow-on
        "    creator_admin: maybe",                        // 23 not a boolean
        "  - name: billing",                               // 24
        "    created_by: dave",                             // 25 no such entry at all
        "x: 1");                                           // 26 unknown top-level key
    assertEquals(List.of(
        "p.yaml:4: api_keys[0].sha256: expected 64 hex digits (the SHA-256 of the secret;"
            + " 'hash-key' prints it), got 2 characters",
        "p.yaml:6: api_keys[1].owner: unknown owner 'ghost': no user or service account has"
            + " that id",
        "p.yaml:10: users[0].role: unknown role 'wizard'" + ROLES,
        "p.yaml:11: users[1].role: missing (required); is the unknown key 'rol' on line 12 a"
            + " misspelling of it?",
        "p.yaml:12: users[1].rol: unknown key 'rol' (expected one of certificate_filters, groups,"
            + " id, namespaces, role)",
        "p.yaml:13: users[2]: expected a mapping of certificate_filters, groups, id, namespaces,"
            + " role",
        "p.yaml:16: groups[0].role: unknown role 'boss'" + ROLES,
        "p.yaml:19: service_accounts[0].namespace_scoped.permission: unknown permission 'root'"
            + " (expected one of read, write, admin)",
        "p.yaml:23: namespaces[0].creator_admin: expected true or false, got 'maybe'",
        "p.yaml:25: namespaces[1].created_by: unknown principal 'dave'",
        "p.yaml:26: x: unknown key 'x' (expected one of api_keys, confirm_removal, groups,"
            + " namespaces, service_accounts, users)"), errors);
  }

  @Test
  void errorsOnOneLineAreOrderedByColumn() {
    List<String> errors = errorsOf(
        "users:",
        "  - {id: alice, role: wizard, namespaces: {orders: sudo}, colour: red}");
    assertEquals(List.of(
        "p.yaml:2: users[0].role: unknown role 'wizard'" + ROLES,
        "p.yaml:2: users[0].namespaces.orders: unknown permission 'sudo' (expected one of read,"
            + " write, admin)",
        "p.yaml:2: users[0].colour: unknown key 'colour' (expected one of certificate_filters,"
            + " groups, id, namespaces, role)"), errors);
  }

  @Test
  void aKeyOfAValidPrincipalIsNotAffectedByAnotherOnesError() {
    List<String> errors = errorsOf(
        "users:",
        "  - id: alice",
        "    role: developer",
        "  - id: alice",
        "    role: read_only",
        "api_keys:",
        "  - {id: k1, owner: alice, sha256: " + HASH_A + "}",
        "  - {id: k2, owner: alicia, sha256: " + HASH_B + "}");
    assertEquals(List.of(
        "p.yaml:4: users[1].id: duplicate principal id 'alice' (users and service accounts share"
            + " one id space; first defined at line 2)",
        "p.yaml:8: api_keys[1].owner: unknown owner 'alicia': no user or service account has"
            + " that id"), errors);
  }
}
