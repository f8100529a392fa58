package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One policy read from several files: sections concatenated, ids unique, errors per file. */
class PolicyDirectoryLoadTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  private static final String HASH = "%064x";

  private static PolicyDocument doc(String name, String... lines) {
    return new PolicyDocument(name, "cm/" + name,
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static PolicySnapshot parse(PolicyDocument... parts) throws PolicyException {
    return PolicyLoader.parse(List.of(parts), "cm", AT);
  }

  private static List<String> errors(PolicyDocument... parts) {
    PolicyException e = assertThrows(PolicyException.class, () -> parse(parts));
    return e.errors().stream().map(PolicyError::toString).collect(Collectors.toList());
  }

  @Test
  void crossReferencesResolveAcrossFilesInEitherDirection() throws Exception {
    PolicySnapshot policy = parse(
        doc("b-users.yaml",
            "users:",
            "  - {id: alice, role: developer, groups: [ops]}",
            "api_keys:",
            "  - {id: k1, owner: ci, sha256: " + String.format(HASH, 1) + "}"),
        doc("a-groups.yaml",
            "groups:",
            "  - {id: ops, role: read_only, namespaces: {orders: admin}}",
            "service_accounts:",
            "  - {id: ci, role: developer}",
            "namespaces:",
            "  - {name: orders, created_by: alice}"));
    assertEquals(2, policy.principals().size());
    assertEquals("ci", policy.keyById("k1").owner());
    assertEquals(NamespacePermission.ADMIN, policy.rightsOf("alice").permissionOn("orders"));
    assertEquals("cm", policy.source());
  }

  /** name, files, the errors expected, each a prefix of the error in file order. */
  static Stream<Arguments> crossFileErrors() {
    return Stream.of(
        Arguments.of("duplicate principal across files",
            List.of(doc("a.yaml", "users:", "  - {id: u, role: developer}"),
                doc("b.yaml", "service_accounts:", "  - {id: x, role: developer}",
                    "  - {id: u, role: read_only}")),
            List.of("cm/b.yaml:3: service_accounts[1].id: duplicate principal id 'u' (users and"
                + " service accounts share one id space; first defined at cm/a.yaml:2)")),
        Arguments.of("duplicate group across files",
            List.of(doc("a.yaml", "groups:", "  - {id: g, role: developer}"),
                doc("b.yaml", "", "groups:", "  - {id: g, role: read_only}")),
            List.of("cm/b.yaml:3: groups[0].id: duplicate group id 'g' (first defined at"
                + " cm/a.yaml:2)")),
        Arguments.of("duplicate namespace and key across files",
            List.of(doc("a.yaml", "users: [{id: u, role: developer}]", "namespaces: [{name: n}]",
                    "api_keys: [{id: k, owner: u, sha256: " + String.format(HASH, 1) + "}]"),
                doc("b.yaml", "namespaces:", "  - {name: n}",
                    "api_keys: [{id: k, owner: u, sha256: " + String.format(HASH, 2) + "}]")),
            List.of("cm/b.yaml:2: namespaces[0].name: duplicate namespace 'n' (first defined at"
                    + " cm/a.yaml:2)",
                "cm/b.yaml:3: api_keys[0].id: duplicate API key id 'k' (first defined at"
                    + " cm/a.yaml:3)")),
        Arguments.of("duplicate in one file names only the line",
            List.of(doc("a.yaml", "groups:", "  - {id: g, role: developer}",
                "  - {id: g, role: developer}"), doc("b.yaml", "users: []")),
            List.of("cm/a.yaml:3: groups[1].id: duplicate group id 'g' (first defined at"
                + " line 2)")),
        Arguments.of("each error names its own file",
            List.of(doc("a.yaml", "users:", "  - {id: u, role: boss}"),
                doc("b.yaml", "users:", "  - {id: v, role: developer, groups: [nope]}")),
            List.of("cm/a.yaml:2: users[0].role: unknown role 'boss'",
                "cm/b.yaml:2: users[0].groups[0]: unknown group 'nope'")),
        Arguments.of("syntax errors of every file, none read further",
            List.of(doc("a.yaml", "users: [", ""), doc("b.yaml", "users:", "  - {id: v, role: x}"),
                doc("c.yaml", "groups: {")),
            List.of("cm/a.yaml:3: not valid YAML: ", "cm/c.yaml:2: not valid YAML: ")),
        Arguments.of("an empty file",
            List.of(doc("a.yaml", "users: []"), doc("b.yaml", "# nothing")),
            List.of("cm/b.yaml: the policy document is empty; expected keys "
                + String.join(", ", PolicyDocumentReader.TOP))),
        Arguments.of("confirm_removal twice",
            List.of(doc("a.yaml", "users: [{id: u, role: developer}]",
                    "confirm_removal: {principals: 1, api_keys: 0}"),
                doc("b.yaml", "confirm_removal: {principals: 1, api_keys: 0}")),
            List.of("cm/b.yaml:1: confirm_removal: stated again (first at cm/a.yaml:2); state it"
                + " once for the whole policy")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crossFileErrors")
  void errorsNameTheirOwnFileAndLine(String name, List<PolicyDocument> parts,
      List<String> expected) {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyLoader.parse(parts, "cm", AT));
    List<String> found = e.errors().stream().map(PolicyError::toString)
        .collect(Collectors.toList());
    assertEquals(expected.size(), found.size(), () -> "got " + found);
    for (int i = 0; i < expected.size(); i++) {
      String prefix = expected.get(i);
      String error = found.get(i);
      assertEquals(prefix, error.substring(0, Math.min(prefix.length(), error.length())));
    }
  }

  @Test
  void confirmRemovalCountsEveryFile() throws Exception {
    PolicySnapshot policy = parse(doc("a.yaml", "users: [{id: u, role: developer}]",
            "confirm_removal: {principals: 2, api_keys: 0}"),
        doc("b.yaml", "service_accounts: [{id: s, role: developer}]"));
    assertEquals(true, policy.confirmsRemoval());
  }

  @Test
  void noFilesIsAnError() {
    assertEquals(List.of("cm: no policy file: expected at least one *.yaml or *.yml file"),
        errors());
  }

  @Test
  void versionIsTheManifestHashOverNamesAndBytes() throws Exception {
    PolicyDocument a = doc("a.yaml", "users: [{id: u, role: developer}]");
    PolicyDocument b = doc("b.yaml", "groups: []");
    PolicySnapshot policy = parse(b, a);
    // independent of the code: sha256sum's output format, hashed again
    String manifest = sha256Hex(a.content()) + "  a.yaml\n" + sha256Hex(b.content())
        + "  b.yaml\n";
    assertEquals(manifest, new String(PolicyManifest.of(List.of(b, a)), StandardCharsets.UTF_8));
    assertEquals(sha256Hex(manifest.getBytes(StandardCharsets.UTF_8)).substring(0, 16),
        policy.version());
    PolicyDocument renamed = new PolicyDocument("c.yaml", "cm/c.yaml", b.content());
    assertNotEquals(policy.version(), parse(a, renamed).version(), "a rename is a new version");
    List<PolicyDocument> moved = new ArrayList<>();
    moved.add(new PolicyDocument("a.yaml", "/elsewhere/a.yaml", a.content()));
    moved.add(new PolicyDocument("b.yaml", "/elsewhere/b.yaml", b.content()));
    assertEquals(policy.version(), PolicyLoader.parse(moved, "/elsewhere", AT).version(),
        "the same files mounted elsewhere are the same version");
    assertNotNull(policy.principal("u"));
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
