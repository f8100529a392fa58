package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.temporalrbac.it.Accounts.Principal;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.it.ItSupport.Sdk;
import dev.temporalrbac.it.RecordingUpstream.Arrival;
import dev.temporalrbac.policy.model.NamespacePermission;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ListNamespaces} (which Temporal's test server does not implement) through the proxy in
 * front of a {@link RecordingUpstream} that answers namespaces orders, payments and billing: any
 * principal may call it, and each sees only the namespaces it may Read; the rest of the response
 * comes back unchanged. Driven with the SDK's WorkflowServiceStubs; policy
 * {@code accounts-policy.yaml}.
 */
@Timeout(60)
class ListNamespacesTest {
  private static final List<String> UPSTREAM_NAMESPACES = List.of("orders", "payments", "billing");
  private static final ByteString PAGE_TOKEN = ByteString.copyFromUtf8("next-page");

  private static RecordingUpstream upstream;
  private static InJvmProxy proxy;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    ListNamespacesResponse.Builder response =
        ListNamespacesResponse.newBuilder().setNextPageToken(PAGE_TOKEN);
    for (String name : UPSTREAM_NAMESPACES) {
      response.addNamespaces(DescribeNamespaceResponse.newBuilder()
          .setNamespaceInfo(NamespaceInfo.newBuilder().setName(name).setId(name + "-id")));
    }
    upstream.respond(WorkflowServiceGrpc.getListNamespacesMethod().getFullMethodName(),
        response.build().toByteArray());
    proxy = InJvmProxy.start(dir, ItSupport.copyResource("accounts-policy.yaml", dir),
        upstream.target());
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void everyPrincipalSeesOnlyTheNamespacesItMayRead() throws Exception {
    Set<List<String>> views = new HashSet<>();
    for (Principal principal : Accounts.ALL) {
      List<String> expected = UPSTREAM_NAMESPACES.stream()
          .filter(namespace -> principal.holds(namespace, NamespacePermission.READ)).toList();
      views.add(expected);
      upstream.drain();
      ListNamespacesResponse response;
      try (Sdk sdk = Sdk.connect(proxy.port, principal.secret(), "default")) {
        response = sdk.stubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
            .listNamespaces(ListNamespacesRequest.newBuilder().setPageSize(10).build());
      }
      assertEquals(expected, response.getNamespacesList().stream()
          .map(namespace -> namespace.getNamespaceInfo().getName()).toList(), principal.id());
      assertEquals(PAGE_TOKEN, response.getNextPageToken(), "the rest of the response is kept");
      List<Arrival> arrived = upstream.drain().stream()
          .filter(arrival -> arrival.method().endsWith("/ListNamespaces")).toList();
      assertEquals(1, arrived.size(), principal + ": the call reaches the upstream once");
      assertEquals(ListNamespacesRequest.newBuilder().setPageSize(10).build(),
          ListNamespacesRequest.parseFrom(arrived.get(0).body()), "the request is unchanged");
    }
    assertEquals(3, views.size(), "all, orders and billing, orders only: " + views);
  }

  @Test
  void anUnknownKeyIsRefusedAndNothingReachesTheUpstream() throws Exception {
    upstream.drain();
    try (Sdk sdk = Sdk.connect(proxy.port, "not-a-key-of-the-policy", "default")) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> sdk.stubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
              .listNamespaces(ListNamespacesRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    }
    assertEquals(List.of(), upstream.drain().stream()
        .filter(arrival -> arrival.method().endsWith("/ListNamespaces")).toList());
  }
}
