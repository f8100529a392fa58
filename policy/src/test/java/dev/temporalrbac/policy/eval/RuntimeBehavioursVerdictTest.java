package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Message;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.ClaimedRights;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.RequestReader;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetUserRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountRequest;
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceScopedAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract of each runtime behaviour check: it answers true exactly when it recorded no deny,
 * and the deny it records is the one expected. Each case is one request body (named below) by
 * one caller; {@code token} is a token user the policy does not list.
 */
class RuntimeBehavioursVerdictTest {
  /** Built per test, so rights are computed by the code under test. */
  private final PolicySnapshot policy = Fixtures.policy()
      .user("admin", "global_admin")
      .user("dev", "developer", "ns1=admin", "ns2=write").keyFor("dev")
      .user("viewer", "read_only").keyFor("viewer")
      .serviceAccount("sa-acct", "developer")
      .scopedServiceAccount("sa-ns1", "ns1", "write")
      .build();

  private static Message body(String name) {
    switch (name) {
      case "own-spec":
        return CreateApiKeyRequest.newBuilder()
            .setSpec(ApiKeySpec.newBuilder().setOwnerId("dev")).build();
      case "other-spec":
        return CreateApiKeyRequest.newBuilder()
            .setSpec(ApiKeySpec.newBuilder().setOwnerId("viewer")).build();
      case "own-key":
        return GetApiKeyRequest.newBuilder().setKeyId(Fixtures.keyIdOf("dev")).build();
      case "other-key":
        return GetApiKeyRequest.newBuilder().setKeyId(Fixtures.keyIdOf("viewer")).build();
      case "unknown-key":
        return GetApiKeyRequest.newBuilder().setKeyId("no-such-key").build();
      case "no-owner":
        return GetApiKeysRequest.getDefaultInstance();
      case "own-owner":
        return GetApiKeysRequest.newBuilder().setOwnerId("dev").build();
      case "account-sa":
        return CreateServiceAccountRequest.newBuilder().setSpec(ServiceAccountSpec.newBuilder()
            .setAccess(io.temporal.api.cloud.identity.v1.Access.newBuilder()
                .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_DEVELOPER)))).build();
      case "scoped-ns1":
        return CreateServiceAccountRequest.newBuilder().setSpec(scoped("ns1")).build();
      case "scoped-ns2":
        return CreateServiceAccountRequest.newBuilder().setSpec(scoped("ns2")).build();
      case "scoped-empty":
        return CreateServiceAccountRequest.newBuilder().setSpec(scoped("")).build();
      case "no-access":
        return CreateServiceAccountRequest.newBuilder()
            .setSpec(ServiceAccountSpec.newBuilder().setName("n")).build();
      case "update-sa-ns1":
        return UpdateServiceAccountRequest.newBuilder().setServiceAccountId("sa-ns1")
            .setSpec(scoped("ns1")).build();
      case "update-sa-acct":
        return UpdateServiceAccountRequest.newBuilder().setServiceAccountId("sa-acct")
            .setSpec(scoped("ns1")).build();
      case "update-unknown":
        return UpdateServiceAccountRequest.newBuilder().setServiceAccountId("sa-gone")
            .setSpec(scoped("ns1")).build();
      case "update-user":
        return UpdateServiceAccountRequest.newBuilder().setServiceAccountId("viewer")
            .setSpec(scoped("ns1")).build();
      case "delete-sa-ns1":
        return DeleteServiceAccountRequest.newBuilder().setServiceAccountId("sa-ns1").build();
      case "get-sa":
        return GetServiceAccountRequest.newBuilder().setServiceAccountId("sa-acct").build();
      case "tags":
        return CreateNamespaceRequest.newBuilder().setSpec(NamespaceSpec.newBuilder().setName("n"))
            .putTags("team", "a").build();
      case "no-tags":
        return CreateNamespaceRequest.newBuilder()
            .setSpec(NamespaceSpec.newBuilder().setName("n")).build();
      case "user":
        return GetUserRequest.newBuilder().setUserId("viewer").build();
      default:
        throw new AssertionError("no body " + name);
    }
  }

  private static ServiceAccountSpec.Builder scoped(String namespace) {
    return ServiceAccountSpec.newBuilder().setNamespaceScopedAccess(
        NamespaceScopedAccess.newBuilder().setNamespace(namespace));
  }

  private EffectiveRights rightsOf(String who) {
    EffectiveRights rights = who.equals("token")
        ? policy.rightsOf(new ClaimedRights("token", List.of(), Map.of(), null, false),
            AccountRole.DEVELOPER)
        : policy.rightsOf(who);
    assertNotNull(rights, who);
    return rights;
  }

  @ParameterizedTest(name = "{0} calls {1} with {2}: {3}")
  @CsvSource({
      // own API keys
      "admin, CreateApiKey, other-spec, ALLOWED",
      "dev, CreateApiKey, own-spec, ALLOWED",
      "dev, CreateApiKey, other-spec, NOT_OWN_API_KEY",
      "token, CreateApiKey, own-spec, NOT_OWN_API_KEY",
      "dev, GetApiKey, own-key, ALLOWED",
      "dev, GetApiKey, other-key, NOT_OWN_API_KEY",
      "dev, GetApiKey, unknown-key, NOT_OWN_API_KEY",
      "dev, GetApiKeys, own-owner, ALLOWED",
      "dev, GetApiKeys, no-owner, NOT_OWN_API_KEY",
      // service account scope
      "viewer, GetServiceAccount, get-sa, ALLOWED",
      "admin, CreateServiceAccount, account-sa, ALLOWED",
      "dev, CreateServiceAccount, account-sa, SERVICE_ACCOUNT_SCOPE",
      "dev, CreateServiceAccount, scoped-ns1, ALLOWED",
      "dev, CreateServiceAccount, scoped-ns2, SERVICE_ACCOUNT_SCOPE",
      "viewer, CreateServiceAccount, scoped-ns1, SERVICE_ACCOUNT_SCOPE",
      "dev, CreateServiceAccount, scoped-empty, INVALID_SERVICE_ACCOUNT_SPEC",
      "admin, CreateServiceAccount, no-access, INVALID_SERVICE_ACCOUNT_SPEC",
      "dev, UpdateServiceAccount, update-sa-ns1, ALLOWED",
      "viewer, UpdateServiceAccount, update-sa-ns1, SERVICE_ACCOUNT_SCOPE",
      "dev, UpdateServiceAccount, update-sa-acct, SERVICE_ACCOUNT_SCOPE",
      "admin, UpdateServiceAccount, update-sa-acct, ALLOWED",
      "dev, UpdateServiceAccount, update-unknown, SERVICE_ACCOUNT_SCOPE",
      "admin, UpdateServiceAccount, update-unknown, ALLOWED",
      "dev, UpdateServiceAccount, update-user, SERVICE_ACCOUNT_SCOPE",
      "dev, DeleteServiceAccount, delete-sa-ns1, ALLOWED",
      "viewer, DeleteServiceAccount, delete-sa-ns1, SERVICE_ACCOUNT_SCOPE",
      // tags on CreateNamespace
      "dev, CreateNamespace, tags, TAGS_NEED_ADMIN",
      "dev, CreateNamespace, no-tags, ALLOWED",
      "admin, CreateNamespace, tags, ALLOWED",
      // no behaviour
      "viewer, GetUser, user, ALLOWED"})
  void answersTrueExactlyWhenItRecordsNoDeny(String who, String method, String body,
      String expected) throws Exception {
    CatalogEntry entry = Fixtures.entry(CLOUD + method);
    DecisionContext ctx = new DecisionContext().reset(CLOUD + method, policy.version());
    ctx.rights = rightsOf(who);
    RequestReader.read(entry.plan(), body(body).toByteArray(), ctx.facts);

    boolean verdict = RuntimeBehaviours.check(entry, ctx.facts, policy, ctx);
    Decision decision = ctx.toDecision();

    assertEquals(decision.allowed(), verdict, decision::message);
    assertEquals(expected, decision.allowed() ? "ALLOWED" : decision.reason().name(),
        decision::message);
  }
}
