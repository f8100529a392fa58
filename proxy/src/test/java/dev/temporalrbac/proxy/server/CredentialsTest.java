package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.AUTHORIZATION;
import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static dev.temporalrbac.proxy.server.ProxyFixture.LIST_NAMESPACES;
import static dev.temporalrbac.proxy.server.ProxyFixture.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import io.grpc.Metadata;
import io.grpc.Status;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How credentials travel upstream, dry run, and the filtered ListNamespaces response. */
@Timeout(30)
class CredentialsTest {
  private static byte[] start(String namespace) {
    return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
        .setWorkflowId("w1").build().toByteArray();
  }

  private static List<String> authorizationUpstream(ProxyFixture fx) {
    Iterable<String> values = fx.upstream.calls().get(0).headers.getAll(AUTHORIZATION);
    List<String> out = new java.util.ArrayList<>();
    if (values != null) {
      values.forEach(out::add);
    }
    return out;
  }

  @Test
  void passthroughForwardsTheCallersAuthorization() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
      assertEquals(List.of("Bearer " + DEV), authorizationUpstream(fx));
    }
  }

  /**
   * A caller sending two authorization values is authenticated by the last (Metadata.get), and
   * passthrough forwards both; the Temporal server reads the first. A key the proxy's policy has
   * disabled therefore still goes upstream first, behind a valid one.
   */
  @Test
  void passthroughForwardsOnlyTheAuthorizationThatWasChecked() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      Metadata headers = ProxyFixture.auth(ProxyFixture.DISABLED);
      headers.put(AUTHORIZATION, "Bearer " + DEV);
      ProxyFixture.Exchange ex = fx.unary(headers, START, start("orders"));
      if (ex.awaitClose().isOk()) {
        assertEquals(List.of("Bearer " + DEV), authorizationUpstream(fx));
      } else {
        assertEquals(Status.Code.UNAUTHENTICATED, ex.awaitClose().getCode());
        assertTrue(fx.upstream.calls().isEmpty());
      }
    }
  }

  @Test
  void replaceSendsTheProxysKeyAndNeverTheCallers() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder()
        .credentials(UpstreamCredentials.replace("proxy-own-key")).start()) {
      assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
      assertEquals(List.of("Bearer proxy-own-key"), authorizationUpstream(fx));
      Metadata headers = fx.upstream.calls().get(0).headers;
      for (String key : headers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          for (String value : headers.getAll(
              Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
            assertFalse(value.contains(DEV), "the caller's key went upstream in " + key);
          }
        }
      }
    }
  }

  @Test
  void stripSendsNoAuthorization() throws Exception {
    try (ProxyFixture fx = ProxyFixture.builder().credentials(UpstreamCredentials.strip())
        .start()) {
      assertEquals(Status.Code.OK, fx.unary(DEV, START, start("orders")).awaitClose().getCode());
      assertNull(fx.upstream.calls().get(0).headers.get(AUTHORIZATION));
      assertTrue(authorizationUpstream(fx).isEmpty());
    }
  }

  /** Temporal hands {@code authorization-extras} to its claim mapper: it is the caller's too. */
  @Test
  void authorizationExtrasTravelOnlyWithThePassedThroughCredential() throws Exception {
    Metadata.Key<String> extras =
        Metadata.Key.of("authorization-extras", Metadata.ASCII_STRING_MARSHALLER);
    for (UpstreamCredentials credentials : List.of(UpstreamCredentials.strip(),
        UpstreamCredentials.replace("proxy-own-key"), UpstreamCredentials.passthrough())) {
      try (ProxyFixture fx = ProxyFixture.builder().credentials(credentials).start()) {
        Metadata headers = ProxyFixture.auth(DEV);
        headers.put(extras, "caller-extra-data");
        assertEquals(Status.Code.OK,
            fx.unary(headers, START, start("orders")).awaitClose().getCode());
        String upstream = fx.upstream.calls().get(0).headers.get(extras);
        if (credentials.mode() == UpstreamCredentials.Mode.PASSTHROUGH) {
          assertEquals("caller-extra-data", upstream);
        } else {
          assertNull(upstream, credentials + " forwarded the caller's authorization-extras");
        }
      }
    }
  }

  /** Records what the proxy tells its observer. */
  static final class RecordingObserver implements CallObserver {
    record Decided(Decision decision, CallInfo call, boolean enforced) {}

    final List<Decided> decided = new CopyOnWriteArrayList<>();
    final List<Status.Code> closed = new CopyOnWriteArrayList<>();

    @Override
    public void decided(Decision decision, CallInfo call, boolean enforced) {
      decided.add(new Decided(decision, call, enforced));
    }

    @Override
    public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {
      closed.add(code);
    }

    @Override
    public void decisionTime(long nanos) {}
  }

  @Test
  void dryRunForwardsACallWhoseCallerDoesNotAuthenticate() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (ProxyFixture fx = ProxyFixture.builder().mode(EnforcementMode.DRY_RUN)
        .observer(observer).start()) {
      byte[] body = start("orders");
      for (String secret : new String[] {null, "not-a-key-of-this-policy"}) {
        assertEquals(Status.Code.OK, fx.unary(ProxyFixture.auth(secret), START, body)
            .awaitClose().getCode(), String.valueOf(secret));
      }
      assertEquals(2, fx.upstream.calls().size());
      assertEquals(2, observer.decided.size(), "each call decided once, on its body");
      assertTrue(observer.decided.stream().noneMatch(d -> d.decision().allowed() || d.enforced()));
    }
  }

  @Test
  void dryRunForwardsAWouldBeDeniedCallAndReportsItUnenforced() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (ProxyFixture fx = ProxyFixture.builder().mode(EnforcementMode.DRY_RUN)
        .observer(observer).start()) {
      Metadata headers = ProxyFixture.auth(DEV);
      headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "rq-7");
      byte[] body = start("payments");

      assertEquals(Status.Code.OK, fx.unary(headers, START, body).awaitClose().getCode());

      assertEquals(1, fx.upstream.calls().size());
      assertArrayEquals(body, fx.upstream.calls().get(0).requests.get(0));
      assertEquals(1, observer.decided.size());
      RecordingObserver.Decided d = observer.decided.get(0);
      assertFalse(d.enforced());
      assertFalse(d.decision().allowed());
      assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, d.decision().reason());
      assertEquals(List.of("payments"), d.decision().namespaces());
      assertEquals(START, d.call().fullMethod());
      assertEquals("rq-7", d.call().requestId());
      assertEquals(List.of(Status.Code.OK), observer.closed);
    }
  }

  @Test
  void enforcedDenyIsReportedEnforced() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (ProxyFixture fx = ProxyFixture.builder().observer(observer).start()) {
      assertEquals(Status.Code.PERMISSION_DENIED,
          fx.unary(DEV, START, start("payments")).awaitClose().getCode());
      assertTrue(fx.upstream.calls().isEmpty());
      assertEquals(1, observer.decided.size());
      assertTrue(observer.decided.get(0).enforced());
      assertFalse(observer.decided.get(0).decision().allowed());
      assertTrue(observer.closed.isEmpty());
    }
  }

  private static ListNamespacesResponse namespaces(String... names) {
    ListNamespacesResponse.Builder response = ListNamespacesResponse.newBuilder()
        .setNextPageToken(com.google.protobuf.ByteString.copyFromUtf8("page-2"));
    for (String name : names) {
      response.addNamespaces(DescribeNamespaceResponse.newBuilder()
          .setNamespaceInfo(NamespaceInfo.newBuilder().setName(name).setDescription("ns " + name)));
    }
    return response.build();
  }

  private static List<String> names(byte[] response) throws Exception {
    return ListNamespacesResponse.parseFrom(response).getNamespacesList().stream()
        .map(n -> n.getNamespaceInfo().getName()).toList();
  }

  @Test
  void listNamespacesShowsOnlyWhatTheCallerMayRead() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      byte[] all = namespaces("a", "b", "c").toByteArray();
      fx.upstream.on(LIST_NAMESPACES, RecordingUpstream.reply(all));
      byte[] request = ListNamespacesRequest.newBuilder().setPageSize(10).build().toByteArray();

      byte[] forReader = fx.unary(ProxyFixture.READER, LIST_NAMESPACES, request).single();
      assertEquals(List.of("a"), names(forReader));
      ListNamespacesResponse parsed = ListNamespacesResponse.parseFrom(forReader);
      assertEquals("page-2", parsed.getNextPageToken().toStringUtf8());
      assertEquals("ns a", parsed.getNamespaces(0).getNamespaceInfo().getDescription());

      byte[] forAdmin = fx.unary(ProxyFixture.ADMIN, LIST_NAMESPACES, request).single();
      assertArrayEquals(all, forAdmin);
      assertEquals(List.of("a", "b", "c"), names(forAdmin));

      byte[] forDev = fx.unary(DEV, LIST_NAMESPACES, request).single();
      assertEquals(List.of(), names(forDev));
      assertEquals(3, fx.upstream.calls().size());
    }
  }

  @Test
  void unreadableListNamespacesResponseIsWithheldFromAFilteredCaller() throws Exception {
    try (ProxyFixture fx = ProxyFixture.start()) {
      byte[] garbage = {0x0a, 0x7f, 1, 2};
      fx.upstream.on(LIST_NAMESPACES, RecordingUpstream.reply(garbage));

      ProxyFixture.Exchange ex = fx.unary(ProxyFixture.READER, LIST_NAMESPACES, new byte[0]);

      assertEquals(Status.Code.INTERNAL, ex.awaitClose().getCode());
      assertTrue(ex.messages().isEmpty(), "an unfiltered response reached the caller");
    }
  }
}
