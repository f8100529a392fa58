package dev.temporalrbac.it;

import static dev.temporalrbac.it.Accounts.DEVELOPER;
import static dev.temporalrbac.it.Accounts.FINANCE;
import static dev.temporalrbac.it.Accounts.GLOBAL_ADMIN;
import static dev.temporalrbac.it.Accounts.ORDERS_SA;
import static dev.temporalrbac.it.Accounts.OWNER;
import static dev.temporalrbac.it.Accounts.READ_ONLY;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.OK;
import static io.grpc.Status.Code.PERMISSION_DENIED;

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
import io.temporal.api.cloud.identity.v1.AccountAccess;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceAccess;
import io.temporal.api.cloud.identity.v1.NamespaceScopedAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import org.junit.jupiter.api.Test;

/**
 * The runtime behaviours of PERMISSIONS.md §4 with real Cloud Ops request messages through
 * {@link io.temporal.serviceclient.CloudServiceStubs}: own versus others' API keys, service
 * accounts managed by the admins of their scope, tags on CreateNamespace. Each allowed call must
 * reach the upstream once; each refused one must not reach it at all.
 */
class CloudOpsBehavioursTest extends CloudOpsFixture {

  @Test
  void apiKeysAreManagedByTheirOwnerAndByAdmins() {
    expect(OK, DEVELOPER, "CreateApiKey", s -> s.createApiKey(createKey(DEVELOPER.id())));
    expect(PERMISSION_DENIED, DEVELOPER, "CreateApiKey", s -> s.createApiKey(createKey(READ_ONLY.id())));
    expect(OK, OWNER, "CreateApiKey", s -> s.createApiKey(createKey(READ_ONLY.id())));
    expect(OK, ORDERS_SA, "CreateApiKey", s -> s.createApiKey(createKey(ORDERS_SA.id())));

    expect(OK, DEVELOPER, "GetApiKey", s -> s.getApiKey(getKey("key-dev")));
    expect(PERMISSION_DENIED, DEVELOPER, "GetApiKey", s -> s.getApiKey(getKey("key-owner")));
    expect(PERMISSION_DENIED, DEVELOPER, "GetApiKey", s -> s.getApiKey(getKey("key-not-in-policy")));
    expect(OK, GLOBAL_ADMIN, "GetApiKey", s -> s.getApiKey(getKey("key-dev")));
    expect(OK, GLOBAL_ADMIN, "GetApiKey", s -> s.getApiKey(getKey("key-not-in-policy")));

    expect(PERMISSION_DENIED, FINANCE, "GetApiKeys", s -> s.getApiKeys(
        GetApiKeysRequest.getDefaultInstance()));
    expect(OK, FINANCE, "GetApiKeys", s -> s.getApiKeys(
        GetApiKeysRequest.newBuilder().setOwnerId(FINANCE.id()).build()));
    expect(PERMISSION_DENIED, FINANCE, "GetApiKeys", s -> s.getApiKeys(
        GetApiKeysRequest.newBuilder().setOwnerId(DEVELOPER.id()).build()));
    expect(OK, OWNER, "GetApiKeys", s -> s.getApiKeys(GetApiKeysRequest.getDefaultInstance()));

    expect(OK, READ_ONLY, "UpdateApiKey", s -> s.updateApiKey(UpdateApiKeyRequest.newBuilder()
        .setKeyId("key-ro").setSpec(keySpec(READ_ONLY.id()).setDisabled(true)).build()));
    expect(PERMISSION_DENIED, READ_ONLY, "UpdateApiKey", s -> s.updateApiKey(
        UpdateApiKeyRequest.newBuilder().setKeyId("key-ro").setSpec(keySpec(DEVELOPER.id())).build()));
    expect(PERMISSION_DENIED, READ_ONLY, "UpdateApiKey", s -> s.updateApiKey(
        UpdateApiKeyRequest.newBuilder().setKeyId("key-dev").setSpec(keySpec(READ_ONLY.id())).build()));

    expect(OK, READ_ONLY, "DeleteApiKey", s -> s.deleteApiKey(
        DeleteApiKeyRequest.newBuilder().setKeyId("key-ro").build()));
    expect(PERMISSION_DENIED, READ_ONLY, "DeleteApiKey", s -> s.deleteApiKey(
        DeleteApiKeyRequest.newBuilder().setKeyId("key-dev").build()));
    expect(OK, GLOBAL_ADMIN, "DeleteApiKey", s -> s.deleteApiKey(
        DeleteApiKeyRequest.newBuilder().setKeyId("key-dev").build()));
  }

  @Test
  void serviceAccountsAreManagedByTheAdminsOfTheirScope() {
    // Account-scoped: Global Admin and Account Owner only.
    expect(PERMISSION_DENIED, DEVELOPER, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(accountScoped())));
    expect(OK, GLOBAL_ADMIN, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(accountScoped())));
    // Namespace-scoped: whoever holds Namespace Admin there (the developer on orders).
    expect(OK, DEVELOPER, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(scopedTo("orders"))));
    expect(PERMISSION_DENIED, DEVELOPER, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(scopedTo("payments"))));
    expect(PERMISSION_DENIED, READ_ONLY, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(scopedTo("orders")))); // holds write only
    expect(OK, OWNER, "CreateServiceAccount",
        s -> s.createServiceAccount(createAccount(scopedTo("payments"))));
    // A spec with both scopes, or neither, is invalid.
    expect(INVALID_ARGUMENT, DEVELOPER, "CreateServiceAccount", s -> s.createServiceAccount(
        createAccount(accountScoped().setNamespaceScopedAccess(scopedAccess("orders")))));
    expect(INVALID_ARGUMENT, DEVELOPER, "CreateServiceAccount", s -> s.createServiceAccount(
        createAccount(ServiceAccountSpec.newBuilder().setName("none"))));

    // Every role may read and list them.
    expect(OK, READ_ONLY, "GetServiceAccounts",
        s -> s.getServiceAccounts(GetServiceAccountsRequest.getDefaultInstance()));
    expect(OK, ORDERS_SA, "GetServiceAccount", s -> s.getServiceAccount(
        GetServiceAccountRequest.newBuilder().setServiceAccountId("orders-sa").build()));

    // An update is checked for the account as it is (orders-sa: scoped to orders) and would become.
    expect(OK, DEVELOPER, "UpdateServiceAccount",
        s -> s.updateServiceAccount(updateAccount("orders-sa", scopedTo("orders"))));
    expect(PERMISSION_DENIED, DEVELOPER, "UpdateServiceAccount",
        s -> s.updateServiceAccount(updateAccount("orders-sa", scopedTo("payments"))));
    expect(PERMISSION_DENIED, DEVELOPER, "UpdateServiceAccount",
        s -> s.updateServiceAccount(updateAccount("orders-sa", accountScoped())));
    expect(OK, GLOBAL_ADMIN, "UpdateServiceAccount",
        s -> s.updateServiceAccount(updateAccount("orders-sa", accountScoped())));

    expect(OK, DEVELOPER, "DeleteServiceAccount", s -> s.deleteServiceAccount(
        DeleteServiceAccountRequest.newBuilder().setServiceAccountId("orders-sa").build()));
    expect(PERMISSION_DENIED, READ_ONLY, "DeleteServiceAccount", s -> s.deleteServiceAccount(
        DeleteServiceAccountRequest.newBuilder().setServiceAccountId("orders-sa").build()));
    expect(PERMISSION_DENIED, DEVELOPER, "DeleteServiceAccount", s -> s.deleteServiceAccount(
        DeleteServiceAccountRequest.newBuilder().setServiceAccountId("not-in-policy").build()));
    expect(OK, OWNER, "DeleteServiceAccount", s -> s.deleteServiceAccount(
        DeleteServiceAccountRequest.newBuilder().setServiceAccountId("not-in-policy").build()));
  }

  @Test
  void createNamespaceWithTagsNeedsAnAdmin() {
    CreateNamespaceRequest plain = CreateNamespaceRequest.newBuilder()
        .setSpec(NamespaceSpec.newBuilder().setName("shipping")).build();
    CreateNamespaceRequest tagged = plain.toBuilder().putTags("team", "logistics").build();
    expect(OK, DEVELOPER, "CreateNamespace", s -> s.createNamespace(plain));
    expect(PERMISSION_DENIED, DEVELOPER, "CreateNamespace", s -> s.createNamespace(tagged));
    expect(OK, GLOBAL_ADMIN, "CreateNamespace", s -> s.createNamespace(tagged));
    expect(PERMISSION_DENIED, READ_ONLY, "CreateNamespace", s -> s.createNamespace(plain));
  }

  private static ApiKeySpec.Builder keySpec(String owner) {
    return ApiKeySpec.newBuilder().setOwnerId(owner).setDisplayName("it");
  }

  private static CreateApiKeyRequest createKey(String owner) {
    return CreateApiKeyRequest.newBuilder().setSpec(keySpec(owner)).build();
  }

  private static GetApiKeyRequest getKey(String keyId) {
    return GetApiKeyRequest.newBuilder().setKeyId(keyId).build();
  }

  private static ServiceAccountSpec.Builder accountScoped() {
    return ServiceAccountSpec.newBuilder().setName("deployer").setAccess(Access.newBuilder()
        .setAccountAccess(AccountAccess.newBuilder().setRole(AccountAccess.Role.ROLE_DEVELOPER)));
  }

  private static NamespaceScopedAccess scopedAccess(String namespace) {
    return NamespaceScopedAccess.newBuilder().setNamespace(namespace)
        .setAccess(NamespaceAccess.newBuilder()
            .setPermission(NamespaceAccess.Permission.PERMISSION_WRITE)).build();
  }

  private static ServiceAccountSpec.Builder scopedTo(String namespace) {
    return ServiceAccountSpec.newBuilder().setName("worker").setNamespaceScopedAccess(
        scopedAccess(namespace));
  }

  private static CreateServiceAccountRequest createAccount(ServiceAccountSpec.Builder spec) {
    return CreateServiceAccountRequest.newBuilder().setSpec(spec).build();
  }

  private static UpdateServiceAccountRequest updateAccount(String id, ServiceAccountSpec.Builder spec) {
    return UpdateServiceAccountRequest.newBuilder().setServiceAccountId(id).setSpec(spec).build();
  }
}
