package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.RequestReader;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountsRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountRequest;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.identity.v1.NamespaceScopedAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PERMISSIONS.md §4: own API keys, service account scope, tags on CreateNamespace. */
class RuntimeBehavioursTest {
  /**
   * dev: developer, admin on ns1 and write on ns2 by grant, creator (admin) of ns3; viewer and
   * finance hold nothing; sa-acct is account-scoped, sa-ns1 / sa-ns2 are scoped to ns1 / ns2.
   */
  private static final PolicySnapshot POLICY = Fixtures.policy()
      .user("owner", "account_owner").keyFor("owner")
      .user("admin", "global_admin").keyFor("admin")
      .user("dev", "developer", "ns1=admin", "ns2=write").keyFor("dev")
      .user("finance", "finance_admin").keyFor("finance")
      .user("viewer", "read_only").keyFor("viewer")
      .serviceAccount("sa-acct", "developer").keyFor("sa-acct")
      .scopedServiceAccount("sa-ns1", "ns1", "admin").keyFor("sa-ns1")
      .scopedServiceAccount("sa-ns2", "ns2", "write")
      .namespace("ns3", null, "dev", null)
      .build();

  private static Decision call(String who, String method, Message request) {
    return Fixtures.withKeyOf(POLICY, who, CLOUD + method, request.toByteArray());
  }

  private static void check(Decision decision, String expected) {
    if (expected.equals("ALLOWED")) {
      assertTrue(decision.allowed(), decision::message);
      assertEquals(StatusCode.OK, decision.status());
      return;
    }
    Reason reason = Reason.valueOf(expected);
    assertEquals(reason, decision.reason(), decision::message);
    assertEquals(reason == Reason.INVALID_SERVICE_ACCOUNT_SPEC || reason == Reason.MALFORMED_REQUEST
        ? StatusCode.INVALID_ARGUMENT : StatusCode.PERMISSION_DENIED, decision.status());
  }

  // ---- API keys ----

  private static ApiKeySpec owner(String id) {
    return ApiKeySpec.newBuilder().setOwnerId(id).setDisplayName("k").build();
  }

  @ParameterizedTest(name = "{0} creates a key for {1}: {2}")
  @CsvSource({
      "viewer, viewer, ALLOWED", "finance, finance, ALLOWED", "dev, dev, ALLOWED",
      "sa-acct, sa-acct, ALLOWED", "sa-ns1, sa-ns1, ALLOWED",
      "viewer, dev, NOT_OWN_API_KEY", "dev, admin, NOT_OWN_API_KEY",
      "sa-ns1, dev, NOT_OWN_API_KEY", "viewer, '', NOT_OWN_API_KEY",
      "admin, dev, ALLOWED", "owner, viewer, ALLOWED", "admin, nobody, ALLOWED"})
  void createApiKey(String who, String ownerId, String expected) {
    check(call(who, "CreateApiKey",
        CreateApiKeyRequest.newBuilder().setSpec(owner(ownerId)).build()), expected);
  }

  @ParameterizedTest(name = "{0} lists keys of {1}: {2}")
  @CsvSource({
      "viewer, viewer, ALLOWED", "sa-ns1, sa-ns1, ALLOWED", "finance, finance, ALLOWED",
      "viewer, dev, NOT_OWN_API_KEY", "dev, owner, NOT_OWN_API_KEY",
      "viewer, '', NOT_OWN_API_KEY", "dev, '', NOT_OWN_API_KEY",
      "admin, '', ALLOWED", "owner, dev, ALLOWED"})
  void getApiKeys(String who, String ownerId, String expected) {
    check(call(who, "GetApiKeys", GetApiKeysRequest.newBuilder().setOwnerId(ownerId).build()),
        expected);
  }

  @ParameterizedTest(name = "{0} on {1}: {2} by {3}")
  @CsvSource({
      "GetApiKey, key-dev, dev, ALLOWED", "GetApiKey, key-viewer, dev, NOT_OWN_API_KEY",
      "GetApiKey, key-unknown, dev, NOT_OWN_API_KEY", "GetApiKey, '', dev, NOT_OWN_API_KEY",
      "UpdateApiKey, key-dev, dev, ALLOWED", "UpdateApiKey, key-viewer, dev, NOT_OWN_API_KEY",
      "UpdateApiKey, key-unknown, dev, NOT_OWN_API_KEY",
      "DeleteApiKey, key-sa-ns1, sa-ns1, ALLOWED",
      "DeleteApiKey, key-viewer, viewer, ALLOWED", "DeleteApiKey, key-dev, viewer, NOT_OWN_API_KEY",
      "DeleteApiKey, key-unknown, finance, NOT_OWN_API_KEY",
      "GetApiKey, key-dev, admin, ALLOWED", "GetApiKey, key-unknown, owner, ALLOWED",
      "UpdateApiKey, key-viewer, admin, ALLOWED", "UpdateApiKey, key-unknown, owner, ALLOWED",
      "DeleteApiKey, key-dev, owner, ALLOWED", "DeleteApiKey, key-unknown, admin, ALLOWED"})
  void apiKeyById(String method, String keyId, String who, String expected) {
    Message request;
    switch (method) {
      case "GetApiKey":
        request = GetApiKeyRequest.newBuilder().setKeyId(keyId).build();
        break;
      case "UpdateApiKey":
        request = UpdateApiKeyRequest.newBuilder().setKeyId(keyId).build();
        break;
      default:
        request = DeleteApiKeyRequest.newBuilder().setKeyId(keyId).build();
    }
    check(call(who, method, request), expected);
  }

  @ParameterizedTest(name = "{0} updates {1} with owner {2}: {3}")
  @CsvSource({
      "dev, key-dev, dev, ALLOWED", "dev, key-dev, viewer, NOT_OWN_API_KEY",
      "viewer, key-dev, viewer, NOT_OWN_API_KEY", "admin, key-dev, viewer, ALLOWED",
      "owner, key-viewer, dev, ALLOWED"})
  void updateApiKeyCannotTransferOwnership(String who, String keyId, String newOwner,
      String expected) {
    check(call(who, "UpdateApiKey", UpdateApiKeyRequest.newBuilder().setKeyId(keyId)
        .setSpec(owner(newOwner)).build()), expected);
  }

  // ---- service accounts ----

  @ParameterizedTest
  @ValueSource(strings = {"owner", "admin", "dev", "finance", "viewer", "sa-acct", "sa-ns1"})
  void everyoneMayReadAndListServiceAccounts(String who) {
    for (String id : new String[] {"sa-acct", "sa-ns2", "unknown", ""}) {
      check(call(who, "GetServiceAccount",
          GetServiceAccountRequest.newBuilder().setServiceAccountId(id).build()), "ALLOWED");
    }
    check(call(who, "GetServiceAccounts", GetServiceAccountsRequest.getDefaultInstance()),
        "ALLOWED");
  }

  /**
   * Whether a service account call is a read comes from its rule, not its name: the same
   * viewer's call on the account-scoped sa-acct passes exactly when the rule is marked read-only.
   */
  @ParameterizedTest(name = "{0} marked read-only {1}: {2}")
  @CsvSource({
      "GetServiceAccount, true, ALLOWED", "GetServiceAccount, false, SERVICE_ACCOUNT_SCOPE",
      "DeleteServiceAccount, true, ALLOWED", "DeleteServiceAccount, false, SERVICE_ACCOUNT_SCOPE"})
  void serviceAccountReadsAreWhatTheRuleSaysNotWhatTheNameSays(String method, boolean readOnly,
      String expected) throws Exception {
    CatalogEntry real = Fixtures.entry(CLOUD + method);
    MethodRule rule = real.rule();
    CatalogEntry entry = new CatalogEntry(real.index(), new MethodRule(rule.service(),
        rule.method(), rule.scope(), rule.roles(), rule.permission(), rule.behaviour(), readOnly,
        rule.source()), real.descriptor(), real.plan());
    Message request = method.startsWith("Get")
        ? GetServiceAccountRequest.newBuilder().setServiceAccountId("sa-acct").build()
        : DeleteServiceAccountRequest.newBuilder().setServiceAccountId("sa-acct").build();
    DecisionContext ctx = new DecisionContext().reset(entry.fullMethodName(), POLICY.version());
    ctx.rights = POLICY.rightsOf("viewer");
    ctx.facts.clear();
    ctx.facts.useKnownNames(POLICY.namespaceNames());
    RequestReader.read(entry.plan(), request.toByteArray(), ctx.facts);
    RuntimeBehaviours.check(entry, ctx.facts, POLICY, ctx);
    check(ctx.toDecision(), expected);
  }

  private static ServiceAccountSpec spec(String scope) {
    ServiceAccountSpec.Builder spec = ServiceAccountSpec.newBuilder().setName("robot");
    Access access = Access.newBuilder()
        .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_DEVELOPER))
        .build();
    switch (scope) {
      case "account":
        return spec.setAccess(access).build();
      case "both":
        return spec.setAccess(access).setNamespaceScopedAccess(scoped("ns1")).build();
      case "neither":
        return spec.build();
      case "empty-access":
        return spec.setAccess(Access.getDefaultInstance()).build();
      default:
        return spec.setNamespaceScopedAccess(scoped(scope.equals("scoped-empty") ? "" : scope))
            .build();
    }
  }

  private static NamespaceScopedAccess scoped(String namespace) {
    return NamespaceScopedAccess.newBuilder().setNamespace(namespace)
        .setAccess(NamespaceAccess.newBuilder().setPermission(NamespaceAccess.Permission.PERMISSION_WRITE))
        .build();
  }

  @ParameterizedTest(name = "{0} creates a {1} account: {2}")
  @CsvSource({
      "admin, account, ALLOWED", "owner, account, ALLOWED", "owner, empty-access, ALLOWED",
      "dev, account, SERVICE_ACCOUNT_SCOPE", "finance, account, SERVICE_ACCOUNT_SCOPE",
      "viewer, account, SERVICE_ACCOUNT_SCOPE", "sa-acct, account, SERVICE_ACCOUNT_SCOPE",
      "dev, empty-access, SERVICE_ACCOUNT_SCOPE",
      "dev, ns1, ALLOWED", "dev, ns3, ALLOWED", "dev, ns2, SERVICE_ACCOUNT_SCOPE",
      "dev, ns9, SERVICE_ACCOUNT_SCOPE", "viewer, ns1, SERVICE_ACCOUNT_SCOPE",
      "sa-ns1, ns1, ALLOWED", "sa-ns1, ns2, SERVICE_ACCOUNT_SCOPE",
      "admin, ns9, ALLOWED", "owner, ns2, ALLOWED",
      "dev, both, INVALID_SERVICE_ACCOUNT_SPEC", "admin, both, INVALID_SERVICE_ACCOUNT_SPEC",
      "dev, neither, INVALID_SERVICE_ACCOUNT_SPEC", "owner, neither, INVALID_SERVICE_ACCOUNT_SPEC",
      "dev, scoped-empty, INVALID_SERVICE_ACCOUNT_SPEC"})
  void createServiceAccount(String who, String scope, String expected) {
    Decision decision = call(who, "CreateServiceAccount",
        CreateServiceAccountRequest.newBuilder().setSpec(spec(scope)).build());
    check(decision, expected);
    if (scope.matches("ns[0-9]")) {
      assertEquals(List.of(scope), decision.namespaces(), "the namespace decided on");
    }
  }

  @ParameterizedTest(name = "{0} updates {1} to {2}: {3}")
  @CsvSource({
      "dev, sa-ns1, ns1, ALLOWED", "dev, sa-ns1, ns3, ALLOWED",
      "dev, sa-ns1, ns2, SERVICE_ACCOUNT_SCOPE", "dev, sa-ns2, ns1, SERVICE_ACCOUNT_SCOPE",
      "dev, sa-acct, ns1, SERVICE_ACCOUNT_SCOPE", "dev, sa-ns1, account, SERVICE_ACCOUNT_SCOPE",
      "dev, unknown, ns1, SERVICE_ACCOUNT_SCOPE", "dev, viewer, ns1, SERVICE_ACCOUNT_SCOPE",
      "dev, '', ns1, SERVICE_ACCOUNT_SCOPE", "viewer, sa-ns1, ns1, SERVICE_ACCOUNT_SCOPE",
      "sa-ns1, sa-ns1, ns1, ALLOWED", "sa-ns1, sa-ns2, ns1, SERVICE_ACCOUNT_SCOPE",
      "admin, sa-acct, account, ALLOWED", "admin, sa-ns2, ns1, ALLOWED",
      "owner, unknown, account, ALLOWED", "admin, sa-ns1, both, INVALID_SERVICE_ACCOUNT_SPEC",
      "dev, sa-ns1, neither, INVALID_SERVICE_ACCOUNT_SPEC"})
  void updateServiceAccountChecksTheAccountAsItIsAndAsItWouldBecome(String who, String id,
      String scope, String expected) {
    check(call(who, "UpdateServiceAccount", UpdateServiceAccountRequest.newBuilder()
        .setServiceAccountId(id).setSpec(spec(scope)).build()), expected);
  }

  @ParameterizedTest(name = "{0} deletes {1}: {2}")
  @CsvSource({
      "dev, sa-ns1, ALLOWED", "sa-ns1, sa-ns1, ALLOWED", "dev, sa-ns2, SERVICE_ACCOUNT_SCOPE",
      "dev, sa-acct, SERVICE_ACCOUNT_SCOPE", "finance, sa-acct, SERVICE_ACCOUNT_SCOPE",
      "dev, unknown, SERVICE_ACCOUNT_SCOPE", "viewer, unknown, SERVICE_ACCOUNT_SCOPE",
      "dev, '', SERVICE_ACCOUNT_SCOPE", "dev, dev, SERVICE_ACCOUNT_SCOPE",
      "viewer, sa-ns1, SERVICE_ACCOUNT_SCOPE",
      "admin, sa-acct, ALLOWED", "owner, sa-ns2, ALLOWED", "admin, unknown, ALLOWED"})
  void deleteServiceAccount(String who, String id, String expected) {
    check(call(who, "DeleteServiceAccount",
        DeleteServiceAccountRequest.newBuilder().setServiceAccountId(id).build()), expected);
  }

  // ---- CreateNamespace tags ----

  @ParameterizedTest(name = "{0} creates a namespace, tags={1}: {2}")
  @CsvSource({
      "admin, true, ALLOWED", "owner, true, ALLOWED", "admin, false, ALLOWED",
      "dev, false, ALLOWED", "dev, true, TAGS_NEED_ADMIN", "sa-acct, true, TAGS_NEED_ADMIN",
      "finance, false, MISSING_ROLE", "finance, true, MISSING_ROLE",
      "viewer, false, MISSING_ROLE", "sa-ns1, false, MISSING_ROLE"})
  void createNamespaceTagsNeedAnAdmin(String who, boolean tags, String expected) {
    CreateNamespaceRequest.Builder request = CreateNamespaceRequest.newBuilder()
        .setSpec(NamespaceSpec.newBuilder().setName("fresh"));
    if (tags) {
      request.putTags("team", "payments");
    }
    check(call(who, "CreateNamespace", request.build()), expected);
  }

  // ---- single-valued fields sent twice ----

  /**
   * The fields these rules read name one thing; parsers disagree on which of two occurrences they
   * keep (inside revived oneof members), so two different values are malformed, in either order.
   * The same value twice is harmless, and so is a second spec without an owner (the serializer
   * leaves the empty string out).
   */
  @ParameterizedTest(name = "{0} sends {1}: {2}")
  @CsvSource({
      "viewer, 'viewer,dev', MALFORMED_REQUEST", "viewer, 'dev,viewer', MALFORMED_REQUEST",
      "admin, 'dev,viewer', MALFORMED_REQUEST", "viewer, 'viewer,', ALLOWED",
      "viewer, 'viewer,viewer', ALLOWED"})
  void apiKeyOwnerSentTwice(String who, String owners, String expected) {
    String[] ids = owners.split(",", -1);
    byte[] body = Fixtures.concat(
        CreateApiKeyRequest.newBuilder().setSpec(owner(ids[0])).build().toByteArray(),
        CreateApiKeyRequest.newBuilder().setSpec(owner(ids[1])).build().toByteArray());
    Decision decision = Fixtures.withKeyOf(POLICY, who, CLOUD + "CreateApiKey", body);
    check(decision, expected);
    if (!decision.allowed()) {
      assertTrue(decision.message().contains("owner_id appears more than once"),
          decision::message);
    }
  }

  @ParameterizedTest(name = "scoped to {0} then {1}: {2}")
  @CsvSource({"ns1, ns2, MALFORMED_REQUEST", "ns2, ns1, MALFORMED_REQUEST",
      "ns1, ns1, ALLOWED"})
  void serviceAccountScopeSentTwice(String first, String second, String expected) {
    byte[] body = Fixtures.concat(scopedUpdate("sa-ns1", first), scopedUpdate("sa-ns1", second));
    check(Fixtures.withKeyOf(POLICY, "dev", CLOUD + "UpdateServiceAccount", body), expected);
    byte[] ids = Fixtures.concat(scopedUpdate("sa-ns1", "ns1"), scopedUpdate("sa-ns2", "ns1"));
    check(Fixtures.withKeyOf(POLICY, "dev", CLOUD + "UpdateServiceAccount", ids),
        "MALFORMED_REQUEST");
  }

  private static byte[] scopedUpdate(String id, String namespace) {
    return UpdateServiceAccountRequest.newBuilder().setServiceAccountId(id)
        .setSpec(ServiceAccountSpec.newBuilder().setName("bot").setNamespaceScopedAccess(
            NamespaceScopedAccess.newBuilder().setNamespace(namespace))).build().toByteArray();
  }
}
