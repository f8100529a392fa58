package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.catalog.ExpectedPermissions;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.RuntimeRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateApiKeyRequest;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;

/**
 * The request bodies {@link AuthorizerMatrix} sends for the runtime-behaviour methods, as the
 * {@code request} column of {@value ExpectedPermissions#RUNTIME} names them. Stateless.
 */
final class MatrixRequests {
  private MatrixRequests() {}

  /** The request a runtime row names, for the caller {@code me}. */
  static byte[] runtimeBody(RuntimeRequest runtime, String me) {
    switch (runtime.request()) {
      case "own-key":
        return ownKeyRequest(runtime.method(), me);
      case "service-account-id":
        return GetServiceAccountRequest.newBuilder().setServiceAccountId("sa-ns1").build()
            .toByteArray();
      case "empty":
        return new byte[0];
      default:
        throw new AssertionError("no request '" + runtime.request() + "' for " + runtime.method()
            + " in " + ExpectedPermissions.RUNTIME);
    }
  }

  private static byte[] ownKeyRequest(String method, String me) {
    String keyId = Fixtures.keyIdOf(me);
    switch (method) {
      case "CreateApiKey":
        return CreateApiKeyRequest.newBuilder()
            .setSpec(ApiKeySpec.newBuilder().setOwnerId(me).setDisplayName("mine")).build()
            .toByteArray();
      case "GetApiKeys":
        return GetApiKeysRequest.newBuilder().setOwnerId(me).build().toByteArray();
      case "GetApiKey":
        return GetApiKeyRequest.newBuilder().setKeyId(keyId).build().toByteArray();
      case "DeleteApiKey":
        return DeleteApiKeyRequest.newBuilder().setKeyId(keyId).build().toByteArray();
      case "UpdateApiKey":
        return UpdateApiKeyRequest.newBuilder().setKeyId(keyId)
            .setSpec(ApiKeySpec.newBuilder().setOwnerId(me).setDisabled(true)).build()
            .toByteArray();
      default:
        throw new AssertionError("no own-key request for " + method);
    }
  }
}
