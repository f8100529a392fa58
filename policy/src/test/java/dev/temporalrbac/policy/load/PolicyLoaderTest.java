package dev.temporalrbac.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and validating policy documents: all or nothing, every error located. */
class PolicyLoaderTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  private static final String HASH = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  private static final String USER = "users:\n  - id: u1\n    role: developer\n";

  private static PolicySnapshot parse(String yaml) throws PolicyException {
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", AT);
  }

  private static List<PolicyError> errorsOf(String yaml) {
    PolicyException e = assertThrows(PolicyException.class, () -> parse(yaml),
        "the document must be rejected as a whole");
    assertFalse(e.errors().isEmpty());
    e.errors().forEach(error -> assertEquals("test.yaml", error.source()));
    return e.errors();
  }

  private static Path resource(String name) throws Exception {
    return Paths.get(PolicyLoaderTest.class.getResource("/policies/" + name).toURI());
  }

  @Test
  void validDocumentLoads() throws Exception {
    Path file = resource("valid.yaml");
    PolicySnapshot policy = PolicyLoader.load(file, AT);
    Map<String, Integer> perRole = policy.principalsPerRole();
    assertEquals(List.of("read_only", "finance_admin", "developer", "global_admin",
        "account_owner", "namespace_scoped"), new ArrayList<>(perRole.keySet()));
    assertEquals(Map.of("read_only", 2, "finance_admin", 1, "developer", 2, "global_admin", 1,
        "account_owner", 1, "namespace_scoped", 2), perRole);
    assertEquals(1, policy.groups().size());
    assertEquals(3, policy.apiKeys().size());
    assertEquals(2, policy.namespaces().size());
    assertEquals(file.toString(), policy.source());
    assertEquals(AT, policy.loadedAt());

    ApiKey carol = policy.keyById("key-carol");
    assertEquals("carol@example.com", carol.owner());
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), carol.expires());
    assertFalse(carol.disabled());
    assertEquals(carol, policy.findKey(java.util.HexFormat.of().parseHex(HASH)).key());
    ApiKey worker = policy.keyById("key-worker");
    assertEquals(worker.sha256().toLowerCase(), worker.sha256(), "hashes are kept lower-case");
    assertNull(worker.expires());
    assertTrue(policy.keyById("key-old").disabled());

    assertEquals("payments", policy.namespaceNameForId("payments.a1b2c"));
    assertNull(policy.namespaceNameForId("payments"));
    assertEquals(NamespacePermission.ADMIN,
        policy.rightsOf("erin@example.com").permissionOn("orders"), "namespace_admin is admin");
    assertEquals(NamespacePermission.READ,
        policy.rightsOf("orders-reader").permissionOn("orders"));
    assertEquals("read_only", policy.rightsOf("frank@example.com").roleLabel());
  }

  /** name, document, line, field, a fragment of the message. */
  static Stream<Arguments> singleErrors() {
    return Stream.of(
        Arguments.of("unknown role", "users:\n  - id: u1\n    role: superuser\n",
            3, "users[0].role", "unknown role 'superuser'"),
        Arguments.of("unknown group", "groups:\n  - id: g1\n    role: developer\n"
            + "users:\n  - id: u1\n    role: developer\n    groups:\n      - g1\n      - g2\n",
            9, "users[0].groups[1]", "unknown group 'g2'"),
        Arguments.of("duplicate id, user and service account", USER
            + "service_accounts:\n  - id: u1\n    role: read_only\n",
            5, "service_accounts[0].id", "duplicate principal id 'u1'"),
        Arguments.of("duplicate group id", "groups:\n  - id: g\n    role: developer\n"
            + "  - id: g\n    role: read_only\n", 4, "groups[1].id", "duplicate group id 'g'"),
        Arguments.of("API key owner unknown", USER + "api_keys:\n  - id: k1\n    owner: ghost\n"
            + "    sha256: " + HASH + "\n", 6, "api_keys[0].owner", "unknown owner 'ghost'"),
        Arguments.of("namespace-scoped account with a role", "service_accounts:\n  - id: sa\n"
            + "    namespace_scoped:\n      namespace: ns1\n      permission: write\n"
            + "    role: developer\n", 6, "service_accounts[0].role", "no account role"),
        Arguments.of("hash too short", USER + "api_keys:\n  - id: k1\n    owner: u1\n"
            + "    sha256: abc123\n", 7, "api_keys[0].sha256", "64 hex digits"),
        Arguments.of("hash not hex", USER + "api_keys:\n  - id: k1\n    owner: u1\n"
            + "    sha256: " + HASH.replace('a', 'g') + "\n", 7, "api_keys[0].sha256",
            "64 hex digits"),
        Arguments.of("unknown top-level key", "userz:\n  - id: u1\n", 1, "userz",
            "unknown key 'userz'"),
        Arguments.of("unknown user key", "users:\n  - id: u1\n    role: developer\n"
            + "    nmae: x\n", 4, "users[0].nmae", "unknown key 'nmae'"),
        Arguments.of("unknown nested key", "service_accounts:\n  - id: sa\n"
            + "    namespace_scoped:\n      namespace: ns1\n      permission: read\n"
            + "      perm: write\n", 6, "service_accounts[0].namespace_scoped.perm",
            "unknown key 'perm'"),
        Arguments.of("unknown namespace key", "namespaces:\n  - name: ns1\n    owner: x\n",
            3, "namespaces[0].owner", "unknown key 'owner'"),
        Arguments.of("duplicate key", "users:\n  - id: u1\n    role: developer\n"
            + "    role: read_only\n", 4, "users[0].role", "duplicate key 'role'"),
        Arguments.of("duplicate top-level key", USER + "users:\n  - id: u2\n    role: developer\n",
            4, "users", "duplicate key 'users'"),
        Arguments.of("bad expires", USER + "api_keys:\n  - id: k1\n    owner: u1\n"
            + "    sha256: " + HASH + "\n    expires: next tuesday\n", 8, "api_keys[0].expires",
            "RFC 3339"),
        Arguments.of("expires without time", USER + "api_keys:\n  - id: k1\n    owner: u1\n"
            + "    sha256: " + HASH + "\n    expires: 2027-01-01\n", 8, "api_keys[0].expires",
            "RFC 3339"),
        Arguments.of("bad disabled", USER + "api_keys:\n  - id: k1\n    owner: u1\n"
            + "    sha256: " + HASH + "\n    disabled: maybe\n", 8, "api_keys[0].disabled",
            "true or false"),
        Arguments.of("bad permission", "users:\n  - id: u1\n    role: developer\n"
            + "    namespaces:\n      ns1: owner\n", 5, "users[0].namespaces.ns1",
            "unknown permission 'owner'"),
        Arguments.of("bad scoped permission", "service_accounts:\n  - id: sa\n"
            + "    namespace_scoped:\n      namespace: ns1\n      permission: all\n", 5,
            "service_accounts[0].namespace_scoped.permission", "unknown permission 'all'"),
        Arguments.of("unknown created_by", USER + "namespaces:\n  - name: ns1\n"
            + "    created_by: ghost\n", 6, "namespaces[0].created_by", "unknown principal 'ghost'"),
        Arguments.of("missing role", "users:\n  - id: u1\n", 2, "users[0].role", "missing"),
        Arguments.of("empty id", "users:\n  - id: ''\n    role: developer\n", 2, "users[0].id",
            "must not be empty"),
        Arguments.of("users not a list", "users:\n  id: u1\n", 2, "users", "expected a list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleErrors")
  void eachErrorIsLocated(String name, String yaml, int line, String field, String fragment) {
    List<PolicyError> errors = errorsOf(yaml);
    assertEquals(1, errors.size(), errors::toString);
    PolicyError error = errors.get(0);
    assertEquals(field, error.field(), error::toString);
    assertEquals(line, error.line(), error::toString);
    assertTrue(error.message().contains(fragment), error::toString);
    assertTrue(error.toString().startsWith("test.yaml:" + line + ": " + field + ": "),
        error::toString);
  }

  @Test
  void invalidYamlSyntaxIsReportedWithItsLine() {
    List<PolicyError> errors = errorsOf("users:\n  - id: u1\n    role: [developer\n"
        + "namespaces: []\n");
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("", errors.get(0).field());
    assertTrue(errors.get(0).line() >= 3, errors::toString);
    assertTrue(errors.get(0).message().startsWith("not valid YAML"), errors::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# nothing but a comment\n", "   \n"})
  void emptyDocumentIsRejected(String yaml) {
    List<PolicyError> errors = errorsOf(yaml);
    assertEquals(1, errors.size(), errors::toString);
    assertEquals(0, errors.get(0).line());
    assertTrue(errors.get(0).message().contains("empty"), errors::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"- just\n- a list\n", "just a scalar\n", "---\n"})
  void documentThatIsNotAMappingIsRejected(String yaml) {
    List<PolicyError> errors = errorsOf(yaml);
    assertEquals("", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("expected a mapping"), errors::toString);
  }

  /**
   * A document that is not valid UTF-8 (here Latin-1 "josé") must be rejected rather than
   * loaded with a replacement character in the id (a regression test: it once was).
   */
  @Test
  void documentThatIsNotUtf8IsRejected() {
    byte[] latin1 = "users:\n  - id: jos\u00e9@example.com\n    role: developer\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyLoader.parse(latin1, "test.yaml", AT));
    assertEquals(1, e.errors().size(), e::getMessage);
  }

  @Test
  void everyErrorOfADocumentIsReported() {
    String yaml = String.join("\n",
        "users:",                          // 1
        "  - id: u1",                      // 2
        "    role: boss",                  // 3  unknown role
        "  - id: u2",                      // 4
        "    role: developer",             // 5
        "    groups: [nope]",              // 6  unknown group
        "    namespaces:",                 // 7
        "      ns1: sudo",                 // 8  bad permission
        "api_keys:",                       // 9
        "  - id: k1",                      // 10
        "    owner: u2",                   // 11
        "    sha256: 1234",                // 12 bad hash
        "    colour: red",                 // 13 unknown key
        "namespaces:",                     // 14
        "  - name: ns1",                   // 15
        "    created_by: ghost",           // 16 unknown principal
        "");
    List<String> found = errorsOf(yaml).stream()
        .map(e -> e.line() + " " + e.field())
        .sorted()
        .collect(Collectors.toList());
    assertEquals(List.of("12 api_keys[0].sha256", "13 api_keys[0].colour",
        "16 namespaces[0].created_by", "3 users[0].role", "6 users[1].groups[0]",
        "8 users[1].namespaces.ns1"), found);
  }

  @Test
  void exceptionMessageListsEveryError() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> parse("users:\n  - id: a\n    role: x\n  - id: b\n    role: y\n"));
    assertEquals(2, e.errors().size());
    assertTrue(e.getMessage().startsWith("2 errors in policy"), e.getMessage());
    assertTrue(e.getMessage().contains("test.yaml:3: users[0].role"), e.getMessage());
    assertTrue(e.getMessage().contains("test.yaml:5: users[1].role"), e.getMessage());
  }

  @Test
  void versionIsAContentHash() throws Exception {
    byte[] document = Files.readAllBytes(resource("valid.yaml"));
    PolicySnapshot first = PolicyLoader.parse(document, "a", AT);
    PolicySnapshot again = PolicyLoader.parse(document.clone(), "b", AT.plusSeconds(60));
    assertEquals(first.version(), again.version(), "same bytes, same version");

    byte[] sha = MessageDigest.getInstance("SHA-256").digest(document);
    assertEquals(HexFormat.of().formatHex(sha, 0, 8), first.version());

    byte[] changed = document.clone();
    int at = new String(document, StandardCharsets.UTF_8).indexOf("Read-Only");
    changed[at] = 'r'; // still valid: role names are case-insensitive
    PolicySnapshot other = PolicyLoader.parse(changed, "a", AT);
    assertNotEquals(first.version(), other.version(), "one changed byte, another version");

    byte[] comment = (new String(document, StandardCharsets.UTF_8) + "# trailing\n")
        .getBytes(StandardCharsets.UTF_8);
    assertNotEquals(first.version(), PolicyLoader.parse(comment, "a", AT).version());
  }

  @Test
  void unreadableFileIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(missing, AT));
    assertEquals(1, e.errors().size());
    assertEquals(missing.toString(), e.errors().get(0).source());
    assertEquals(0, e.errors().get(0).line());
    assertTrue(e.errors().get(0).message().contains("cannot read"), e::getMessage);
  }

  @Test
  void loadReadsTheFileItIsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, USER);
    PolicySnapshot policy = PolicyLoader.load(file, AT);
    assertEquals(file.toString(), policy.source());
    assertEquals(1, policy.principalsPerRole().get("developer"));
    Files.writeString(file, "users:\n  - id: u1\n    role: nope\n");
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(file, AT));
    assertEquals(file.toString(), e.errors().get(0).source());
  }

  @Test
  void emptySectionsAreEmptyListsAndMappings() throws Exception {
    PolicySnapshot snapshot = PolicyLoader.parse(
        "users:\n  - id: u1\n    role: developer\n    namespaces:\ngroups:\napi_keys:\n"
            .getBytes(StandardCharsets.UTF_8), "test.yaml", AT);
    assertEquals(1, snapshot.principals().size());
    assertTrue(snapshot.principal("u1").namespaces().isEmpty());
    assertTrue(snapshot.groups().isEmpty());
  }
}
