package dev.temporalrbac.proxy.admin;

import com.google.protobuf.Timestamp;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proto.v1.ExplainResponse;
import dev.temporalrbac.proto.v1.GetPolicyStatusRequest;
import dev.temporalrbac.proto.v1.GetPolicyStatusResponse;
import dev.temporalrbac.proto.v1.PolicyAdminGrpc;
import dev.temporalrbac.proxy.explain.Explainer;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.ReloadStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code temporalrbac.v1.PolicyAdmin} gRPC service, served on the proxy's main port behind
 * {@link dev.temporalrbac.proxy.server.AuthorizingInterceptor}: only callers the catalog's rule
 * allows (Global Admin and Account Owner) reach it, so {@code Explain} by {@code api_key} tells
 * only an account administrator whose key it is. This class does no authorization of its own.
 *
 * <p>{@code Explain} decides the call through {@link Explainer}, the code behind the CLI's
 * {@code explain}, against the snapshot in force at the time of the request: the answer is the
 * proxy's own for the same call. With no policy loaded the answer is the proxy's {@code NO_POLICY}
 * denial. An unusable request (no method; both principal and api_key) fails with
 * {@code INVALID_ARGUMENT}. Neither the answer nor an error ever contains the API key.
 *
 * <p>{@code GetPolicyStatus} reports the snapshot in force (empty version and zero counts when none
 * is loaded) and the reload counts of the {@code Supplier<ReloadStatus>}.
 *
 * <p>Stateless apart from its collaborators; gRPC may call it from any number of threads.
 */
public final class PolicyAdminService extends PolicyAdminGrpc.PolicyAdminImplBase {
  private static final Logger LOG = Logger.getLogger(PolicyAdminService.class.getName());

  private final Authorizer authorizer;
  private final PolicyHolder policy;
  private final Supplier<ReloadStatus> reloads;

  /**
   * @param reloads the reload counts, e.g. {@code watcher::status}; null when the policy is never
   *     reloaded (counts are then zero)
   */
  public PolicyAdminService(Authorizer authorizer, PolicyHolder policy,
      Supplier<ReloadStatus> reloads) {
    this.authorizer = authorizer;
    this.policy = policy;
    this.reloads = reloads;
  }

  @Override
  public void explain(ExplainRequest request, StreamObserver<ExplainResponse> response) {
    ExplainResponse answer;
    try {
      answer = new Explainer(authorizer, policy.current()).explain(request).response();
    } catch (IllegalArgumentException e) {
      // the explainer's own words, which never quote the key
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
          .asRuntimeException());
      return;
    } catch (RuntimeException e) {
      // no message of an unexpected failure is passed on: it could quote the request
      LOG.log(Level.WARNING, "explain failed: " + e.getClass().getName());
      response.onError(Status.INTERNAL.withDescription("explain failed ("
          + e.getClass().getSimpleName() + ")").asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  @Override
  public void getPolicyStatus(GetPolicyStatusRequest request,
      StreamObserver<GetPolicyStatusResponse> response) {
    GetPolicyStatusResponse.Builder status = GetPolicyStatusResponse.newBuilder();
    PolicySnapshot snapshot = policy.current();
    if (snapshot != null) {
      status.setVersion(snapshot.version())
          .setSource(snapshot.source())
          .setLoadedAt(timestamp(snapshot.loadedAt()))
          .setGroups(snapshot.groups().size())
          .setApiKeys(snapshot.apiKeys().size())
          .setNamespaces(snapshot.namespaces().size());
      for (Map.Entry<String, Integer> role : snapshot.principalsPerRole().entrySet()) {
        status.putPrincipalsPerRole(role.getKey(), role.getValue());
      }
    }
    ReloadStatus reload = reloads == null ? null : reloads.get();
    if (reload != null) {
      status.setReloadsSucceeded(reload.succeeded())
          .setReloadsFailed(reload.failed())
          .setLastError(reload.lastError() == null ? "" : reload.lastError());
    }
    response.onNext(status.build());
    response.onCompleted();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
