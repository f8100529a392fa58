package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.MessageLite;
import dev.temporalrbac.it.Accounts.Principal;
import dev.temporalrbac.it.RecordingUpstream.Arrival;
import dev.temporalrbac.policy.catalog.Behaviour;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.catalog.TemporalService;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc.CloudServiceBlockingStub;
import io.temporal.api.cloud.cloudservice.v1.ServiceProto;
import io.temporal.serviceclient.CloudServiceStubs;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Cloud Ops API through the proxy with Temporal's {@link CloudServiceStubs}, in front of a
 * {@link RecordingUpstream} ({@link CloudOpsFixture}): every method of {@code CloudService}, called by one principal of each
 * account role (and a namespace-scoped service account), reaches the upstream exactly when the
 * catalog's rule allows it, byte for byte, and nothing else arrives. Policy:
 * {@code accounts-policy.yaml}. The API-key and service-account behaviours: {@link
 * CloudOpsBehavioursTest}.
 */
class CloudOpsTest extends CloudOpsFixture {
  @Test
  void everyCloudMethodReachesTheUpstreamExactlyWhenTheCatalogAllowsIt() {
    MethodCatalog catalog = MethodCatalog.load();
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>(
        CloudServiceGrpc.getServiceDescriptor().getMethods());
    assertEquals(73, methods.size(), "CloudService of the pinned SDK");
    Set<String> catalogued = catalog.entries().stream()
        .filter(entry -> entry.rule().service() == TemporalService.CLOUD)
        .map(CatalogEntry::fullMethodName).collect(Collectors.toCollection(TreeSet::new));
    Set<String> served = methods.stream().map(MethodDescriptor::getFullMethodName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(catalogued, served, "the catalog's CloudService methods");

    List<String> mismatches = new ArrayList<>();
    int forwarded = 0;
    Map<Principal, int[]> perPrincipal = new HashMap<>();
    for (Principal principal : Accounts.ALL) {
      int[] counts = perPrincipal.computeIfAbsent(principal, p -> new int[2]);
      for (MethodDescriptor<?, ?> method : methods) {
        MethodRule rule = catalog.find(method.getFullMethodName()).rule();
        Descriptor input = ServiceProto.getDescriptor().findServiceByName("CloudService")
            .findMethodByName(method.getBareMethodName()).getInputType();
        List<String> namespaces = input.findFieldByName("namespace") == null
            ? List.of("") : List.of("orders", "payments");
        for (String namespace : namespaces) {
          byte[] body = request(input, principal, namespace);
          boolean expected = allowed(rule, principal, namespace);
          Status.Code code = call(stubs.get(principal), method, body);
          List<Arrival> arrived = upstream.drain();
          String call = principal + " " + method.getBareMethodName()
              + (namespace.isEmpty() ? "" : " on " + namespace);
          if (expected) {
            forwarded++;
            counts[0]++;
            boolean exact = code == Status.Code.OK && arrived.size() == 1
                && arrived.get(0).method().equals(method.getFullMethodName())
                && Arrays.equals(arrived.get(0).body(), body)
                && ("Bearer " + principal.secret()).equals(arrived.get(0).authorization());
            if (!exact) {
              mismatches.add(call + ": should be forwarded unchanged; got " + code + " and "
                  + arrived.size() + " arrival(s)");
            }
          } else {
            counts[1]++;
            if (code != Status.Code.PERMISSION_DENIED || !arrived.isEmpty()) {
              mismatches.add(call + ": should be refused; got " + code + " and "
                  + arrived.size() + " arrival(s)");
            }
          }
        }
      }
    }
    assertEquals(List.of(), mismatches, mismatches.size() + " calls disagree with the catalog");
    assertTrue(upstream.drain().isEmpty(), "something else arrived upstream");
    assertEquals(0, perPrincipal.get(Accounts.OWNER)[1], "the account owner is refused nothing");
    for (Principal principal : Accounts.ALL) {
      assertTrue(perPrincipal.get(principal)[0] > 0, principal + " was allowed nothing");
      assertTrue(principal.adminEverywhere() || perPrincipal.get(principal)[1] > 0,
          principal + " was refused nothing");
    }
    assertTrue(forwarded > 73, "forwarded " + forwarded);
  }

  /**
   * What the catalog's rule allows, computed here from the rule and the principal table: account
   * methods by role (a namespace-scoped service account only those every role may call), namespace
   * methods by the permission held on the namespace the request names. The requests name the
   * caller's own key and owner id, and the namespace-scoped service account {@code orders-sa}.
   */
  static boolean allowed(MethodRule rule, Principal principal, String namespace) {
    switch (rule.scope()) {
      case PUBLIC:
      case AUTHENTICATED:
        return true;
      case ACCOUNT:
        boolean role = principal.role() == null
            ? rule.roles().equals(Set.of(AccountRole.values()))
            : rule.roles().contains(principal.role());
        if (role && rule.behaviour() == Behaviour.SERVICE_ACCOUNT_SCOPE
            && !rule.method().startsWith("Get")) {
          return principal.holds("orders", NamespacePermission.ADMIN);
        }
        return role;
      case NAMESPACE:
        return principal.holds(namespace, rule.permission());
      default:
        throw new AssertionError(rule.scope());
    }
  }

  /**
   * A request of type {@code input}: its {@code namespace} (when it has one) set, the caller as
   * API key owner, its own key id, and the service account {@code orders-sa}, scoped to orders.
   */
  static byte[] request(Descriptor input, Principal principal, String namespace) {
    DynamicMessage.Builder request = DynamicMessage.newBuilder(input);
    setString(request, "namespace", namespace);
    setString(request, "owner_id", principal.id());
    setString(request, "key_id", principal.keyId());
    setString(request, "service_account_id", "orders-sa");
    FieldDescriptor spec = input.findFieldByName("spec");
    if (spec != null) {
      DynamicMessage.Builder specBuilder = DynamicMessage.newBuilder(spec.getMessageType());
      setString(specBuilder, "owner_id", principal.id());
      FieldDescriptor scoped = spec.getMessageType().findFieldByName("namespace_scoped_access");
      if (scoped != null) {
        DynamicMessage.Builder access = DynamicMessage.newBuilder(scoped.getMessageType());
        setString(access, "namespace", "orders");
        specBuilder.setField(scoped, access.build());
      }
      request.setField(spec, specBuilder.build());
    }
    return request.build().toByteArray();
  }

  private static void setString(DynamicMessage.Builder message, String field, String value) {
    FieldDescriptor descriptor = message.getDescriptorForType().findFieldByName(field);
    if (descriptor != null && descriptor.getType() == FieldDescriptor.Type.STRING
        && !value.isEmpty()) {
      message.setField(descriptor, value);
    }
  }

  /** Calls one method through the SDK's stubs (API key, interceptors) with a serialized request. */
  @SuppressWarnings("unchecked")
  static Status.Code call(CloudServiceStubs stubs, MethodDescriptor<?, ?> method, byte[] body) {
    MethodDescriptor<Object, Object> typed = (MethodDescriptor<Object, Object>) method;
    Object request = typed.parseRequest(new ByteArrayInputStream(body));
    assertTrue(Arrays.equals(body, ((MessageLite) request).toByteArray()), "round trip");
    CloudServiceBlockingStub stub = stubs.blockingStub();
    try {
      ClientCalls.blockingUnaryCall(stub.getChannel(), typed,
          stub.getCallOptions().withDeadlineAfter(10, TimeUnit.SECONDS), request);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
