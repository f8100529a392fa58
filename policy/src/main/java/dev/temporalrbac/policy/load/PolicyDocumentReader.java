package dev.temporalrbac.policy.load;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.CertificateFilter;
import dev.temporalrbac.policy.model.Group;
import dev.temporalrbac.policy.model.NamespaceInfo;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import dev.temporalrbac.policy.model.PrincipalType;
import dev.temporalrbac.policy.model.ScopedGrant;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One validating pass over one composed policy document: reads every section into the snapshot
 * builder and records every problem in {@link YamlFields}. Cross-references (groups, API key
 * owners, namespace creators) are checked once the sections they point at are read.
 */
final class PolicyDocumentReader {
  static final Set<String> TOP = Set.of(
      "users", "service_accounts", "groups", "api_keys", "namespaces", RemovalConfirmation.KEY);
  private static final Set<String> USER = Set.of(
      "id", "role", "namespaces", "groups", "certificate_filters");
  private static final Set<String> SERVICE_ACCOUNT = Set.of(
      "id", "role", "namespaces", "namespace_scoped", "certificate_filters");
  private static final Set<String> SCOPED = Set.of("namespace", "permission");
  private static final Set<String> GROUP = Set.of("id", "role", "namespaces");
  private static final Set<String> KEY = Set.of("id", "owner", "sha256", "expires", "disabled");
  private static final Set<String> NAMESPACE = Set.of(
      "name", "id", "created_by", "creator_admin");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final YamlFields yaml;
  private final PolicySnapshot.Builder builder;
  private final Map<String, Node> principalNodes = new HashMap<>();
  private final Map<String, Principal> principals = new LinkedHashMap<>();
  /**
   * Ids of every user and service account entry, valid or not: a reference to one that was
   * rejected for another reason (its role, say) is not reported again as unknown.
   */
  private final Set<String> declaredPrincipals = new HashSet<>();
  private final Map<String, Node> groupIds = new HashMap<>();
  private final List<Runnable> crossChecks = new ArrayList<>();

  PolicyDocumentReader(YamlFields yaml, PolicySnapshot.Builder builder) {
    this.yaml = yaml;
    this.builder = builder;
  }

  /** Reads one document. */
  void read(Node root) {
    read(List.of(root));
  }

  /**
   * Reads several documents as one policy: each section is the concatenation of that section of
   * every document, in the order given; ids are unique across all of them and references may
   * point into any of them. Field paths index each document's own lists ({@code users[0]} of the
   * file the error names).
   */
  void read(List<Node> roots) {
    DocumentSections sections = new DocumentSections(yaml, roots, TOP);
    sections.entries("groups").forEach(entry -> group(entry.node(), entry.field()));
    List<DocumentSections.Entry> users = sections.entries("users");
    users.forEach(entry -> user(entry.node(), entry.field()));
    List<DocumentSections.Entry> accounts = sections.entries("service_accounts");
    accounts.forEach(entry -> serviceAccount(entry.node(), entry.field()));
    crossChecks.forEach(Runnable::run);
    principals.values().forEach(builder::principal);
    List<DocumentSections.Entry> keys = sections.entries("api_keys");
    Map<String, Node> keyIds = new HashMap<>();
    Set<String> hashes = new HashSet<>();
    keys.forEach(entry -> apiKey(entry.node(), entry.field(), keyIds, hashes));
    Map<String, Node> names = new HashMap<>();
    Map<String, Node> ids = new HashMap<>();
    sections.entries("namespaces")
        .forEach(entry -> namespace(entry.node(), entry.field(), names, ids));
    builder.confirmsRemoval(RemovalConfirmation.read(yaml,
        sections.single(RemovalConfirmation.KEY), users.size() + accounts.size(), keys.size()));
  }

  /** " (first defined at ...)" for a duplicate of {@code first}. */
  private String firstAt(Node first, Node duplicate) {
    return " (first defined at " + yaml.position(first, duplicate) + ")";
  }

  private void group(Node node, String field) {
    Map<String, Node> fields = yaml.mapping(node, field, GROUP);
    String id = yaml.required(fields, "id", node, field);
    AccountRole role = role(fields, node, field);
    Map<String, NamespacePermission> grants = grants(fields.get("namespaces"), field);
    if (id != null && groupIds.containsKey(id)) {
      yaml.error(fields.get("id"), field + ".id", "duplicate group id '" + id + "'"
          + firstAt(groupIds.get(id), fields.get("id")));
    } else if (id != null) {
      groupIds.put(id, fields.get("id"));
      if (role != null) {
        builder.group(new Group(id, role, grants));
      }
    }
  }

  private void user(Node node, String field) {
    Map<String, Node> fields = yaml.mapping(node, field, USER);
    String id = declare(yaml.required(fields, "id", node, field));
    AccountRole role = role(fields, node, field);
    Map<String, NamespacePermission> grants = grants(fields.get("namespaces"), field);
    List<String> groups = new ArrayList<>();
    List<Node> groupNodes = yaml.sequence(fields.get("groups"), field + ".groups");
    for (int i = 0; i < groupNodes.size(); i++) {
      Node groupNode = groupNodes.get(i);
      String groupField = field + ".groups[" + i + "]";
      String groupId = yaml.scalar(groupNode, groupField);
      if (groupId != null) {
        groups.add(groupId);
        crossChecks.add(() -> {
          if (!groupIds.containsKey(groupId)) {
            yaml.error(groupNode, groupField, "unknown group '" + groupId + "'");
          }
        });
      }
    }
    List<CertificateFilter> filters =
        CertificateFilters.read(yaml, fields.get("certificate_filters"), field);
    if (id != null && role != null) {
      addPrincipal(node, field, new Principal(id, PrincipalType.USER, role, grants, groups, null,
          filters));
    }
  }

  private void serviceAccount(Node node, String field) {
    Map<String, Node> fields = yaml.mapping(node, field, SERVICE_ACCOUNT);
    String id = declare(yaml.required(fields, "id", node, field));
    List<CertificateFilter> filters =
        CertificateFilters.read(yaml, fields.get("certificate_filters"), field);
    Node scopedNode = fields.get("namespace_scoped");
    if (scopedNode == null) {
      AccountRole role = role(fields, node, field);
      Map<String, NamespacePermission> grants = grants(fields.get("namespaces"), field);
      if (id != null && role != null) {
        addPrincipal(node, field, new Principal(
            id, PrincipalType.SERVICE_ACCOUNT, role, grants, List.of(), null, filters));
      }
      return;
    }
    if (fields.containsKey("role")) {
      yaml.error(fields.get("role"), field + ".role", "a namespace-scoped service account has"
          + " no account role: remove 'role' or 'namespace_scoped'");
    }
    if (fields.containsKey("namespaces")) {
      yaml.error(fields.get("namespaces"), field + ".namespaces", "a namespace-scoped service"
          + " account has exactly one namespace, given in 'namespace_scoped'");
    }
    String scopedField = field + ".namespace_scoped";
    Map<String, Node> scoped = yaml.mapping(scopedNode, scopedField, SCOPED);
    String namespace = yaml.required(scoped, "namespace", scopedNode, scopedField);
    NamespacePermission permission = permission(scoped.get("permission"), scopedNode,
        scopedField + ".permission");
    if (id != null && namespace != null && permission != null && !fields.containsKey("role")) {
      addPrincipal(node, field, new Principal(id, PrincipalType.SERVICE_ACCOUNT, null, Map.of(),
          List.of(), new ScopedGrant(namespace, permission), filters));
    }
  }

  private String declare(String principalId) {
    if (principalId != null) {
      declaredPrincipals.add(principalId);
    }
    return principalId;
  }

  /**
   * Whether {@code id} names a principal of this document; reports it as {@code what} when no
   * entry has that id (an entry that has it but was rejected is reported already).
   */
  private boolean knownPrincipal(String id, Node node, String field, String what) {
    if (principals.containsKey(id)) {
      return true;
    }
    if (!declaredPrincipals.contains(id)) {
      yaml.error(node, field, what);
    }
    return false;
  }

  private void addPrincipal(Node node, String field, Principal principal) {
    if (principals.containsKey(principal.id())) {
      yaml.error(node, field + ".id", "duplicate principal id '" + principal.id()
          + "' (users and service accounts share one id space; first defined at "
          + yaml.position(principalNodes.get(principal.id()), node) + ")");
      return;
    }
    principals.put(principal.id(), principal);
    principalNodes.put(principal.id(), node);
  }

  private void apiKey(Node node, String field, Map<String, Node> ids, Set<String> hashes) {
    Map<String, Node> fields = yaml.mapping(node, field, KEY);
    String id = yaml.required(fields, "id", node, field);
    String owner = yaml.required(fields, "owner", node, field);
    String hash = yaml.required(fields, "sha256", node, field);
    Boolean disabled = yaml.bool(fields, "disabled", false, field);
    Instant expires = null;
    if (fields.containsKey("expires")) {
      String text = yaml.scalar(fields.get("expires"), field + ".expires");
      try {
        expires = text == null ? null : OffsetDateTime.parse(text.trim()).toInstant();
      } catch (DateTimeParseException e) {
        yaml.error(fields.get("expires"), field + ".expires", "expected an RFC 3339 time such"
            + " as 2027-01-01T00:00:00Z, got '" + text + "'");
      }
    }
    boolean ok = id != null && owner != null && hash != null && disabled != null;
    if (id != null && ids.containsKey(id)) {
      yaml.error(fields.get("id"), field + ".id", "duplicate API key id '" + id + "'"
          + firstAt(ids.get(id), fields.get("id")));
      ok = false;
    } else if (id != null) {
      ids.put(id, fields.get("id"));
    }
    if (owner != null && !knownPrincipal(owner, fields.get("owner"), field + ".owner",
        "unknown owner '" + owner + "': no user or service account has that id")) {
      ok = false;
    }
    if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
      yaml.error(fields.get("sha256"), field + ".sha256", "expected 64 hex digits (the SHA-256"
          + " of the secret; 'hash-key' prints it), got " + hash.length() + " characters");
      ok = false;
    } else if (hash != null && !hashes.add(hash.toLowerCase(java.util.Locale.ROOT))) {
      yaml.error(fields.get("sha256"), field + ".sha256", "two API keys have the same hash");
      ok = false;
    }
    if (ok) {
      builder.apiKey(new ApiKey(id, owner, hash.toLowerCase(java.util.Locale.ROOT), expires,
          disabled));
    }
  }

  private void namespace(Node node, String field, Map<String, Node> names,
      Map<String, Node> ids) {
    Map<String, Node> fields = yaml.mapping(node, field, NAMESPACE);
    String name = yaml.required(fields, "name", node, field);
    String id = fields.containsKey("id") ? yaml.required(fields, "id", node, field) : null;
    String creator = fields.containsKey("created_by")
        ? yaml.required(fields, "created_by", node, field) : null;
    Boolean creatorAdmin = yaml.bool(fields, "creator_admin", true, field);
    boolean ok = name != null && creatorAdmin != null;
    if (name != null && names.containsKey(name)) {
      yaml.error(fields.get("name"), field + ".name", "duplicate namespace '" + name + "'"
          + firstAt(names.get(name), fields.get("name")));
      ok = false;
    } else if (name != null) {
      names.put(name, fields.get("name"));
    }
    if (id != null && ids.containsKey(id)) {
      yaml.error(fields.get("id"), field + ".id", "duplicate namespace id '" + id + "'"
          + firstAt(ids.get(id), fields.get("id")));
      ok = false;
    } else if (id != null) {
      ids.put(id, fields.get("id"));
    }
    if (creator != null && !knownPrincipal(creator, fields.get("created_by"),
        field + ".created_by", "unknown principal '" + creator + "'")) {
      ok = false;
    }
    if (ok) {
      builder.namespace(new NamespaceInfo(name, id, creator, creatorAdmin));
    }
  }

  private AccountRole role(Map<String, Node> fields, Node parent, String field) {
    String text = yaml.required(fields, "role", parent, field);
    if (text == null) {
      return null;
    }
    AccountRole role = AccountRole.parse(text).orElse(null);
    if (role == null) {
      yaml.error(fields.get("role"), field + ".role", "unknown role '" + text + "' (expected"
          + " one of account_owner, global_admin, developer, finance_admin, read_only)");
    }
    return role;
  }

  private Map<String, NamespacePermission> grants(Node node, String field) {
    Map<String, NamespacePermission> grants = new LinkedHashMap<>();
    if (node == null) {
      return grants;
    }
    String path = field + ".namespaces";
    for (Map.Entry<String, Node> entry : yaml.freeMapping(node, path).entrySet()) {
      NamespacePermission permission =
          permission(entry.getValue(), node, path + "." + entry.getKey());
      if (permission != null) {
        grants.put(entry.getKey(), permission);
      }
    }
    return grants;
  }

  private NamespacePermission permission(Node node, Node parent, String field) {
    if (node == null) {
      yaml.missing(parent, field);
      return null;
    }
    String text = yaml.scalar(node, field);
    if (text == null) {
      return null;
    }
    NamespacePermission permission = NamespacePermission.parse(text).orElse(null);
    if (permission == null) {
      yaml.error(node, field, "unknown permission '" + text
          + "' (expected one of read, write, admin)");
    }
    return permission;
  }
}
