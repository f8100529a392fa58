package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import dev.temporalrbac.policy.catalog.Behaviour;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.catalog.Scope;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.DeleteApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.GetApiKeysRequest;
import io.temporal.api.cloud.cloudservice.v1.GetServiceAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateApiKeyRequest;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog method against every kind of principal, the expected outcome worked out from the
 * method's rule alone (not by the authorizer). Calls go through API keys, as on the wire.
 */
class AuthorizerMatrixTest {
  private static final PolicySnapshot POLICY = Fixtures.standard().build();
  private static final String NS = "ns1";

  /** Methods whose outcome depends on the request in ways a generic request cannot satisfy. */
  private static final Set<String> LEFT_TO_RUNTIME_BEHAVIOURS_TEST = Set.of(
      "CreateServiceAccount", "UpdateServiceAccount", "DeleteServiceAccount");

  /** The principal kinds of the matrix; {@code ns1} is the permission held on ns1 only. */
  enum Kind {
    ACCOUNT_OWNER("owner", AccountRole.ACCOUNT_OWNER, null),
    GLOBAL_ADMIN("admin", AccountRole.GLOBAL_ADMIN, null),
    DEVELOPER("dev", AccountRole.DEVELOPER, null),
    FINANCE_ADMIN("finance", AccountRole.FINANCE_ADMIN, null),
    READ_ONLY("viewer", AccountRole.READ_ONLY, null),
    NS1_READ("reader", AccountRole.READ_ONLY, NamespacePermission.READ),
    NS1_WRITE("writer", AccountRole.READ_ONLY, NamespacePermission.WRITE),
    NS1_ADMIN("nsadmin", AccountRole.READ_ONLY, NamespacePermission.ADMIN),
    SCOPED_SA_NS1_WRITE("sa-ns1", null, NamespacePermission.WRITE),
    ANONYMOUS(null, null, null);

    final String id;
    final AccountRole role;
    final NamespacePermission ns1;

    Kind(String id, AccountRole role, NamespacePermission ns1) {
      this.id = id;
      this.role = role;
      this.ns1 = ns1;
    }
  }

  /** A request to send, and the temporal-namespace header to send with it. */
  record Request(byte[] body, String header) {}

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (CatalogEntry entry : matrixEntries()) {
      for (Kind kind : Kind.values()) {
        cases.add(Arguments.of(entry.fullMethodName(), kind));
      }
    }
    return cases.stream();
  }

  private static List<CatalogEntry> matrixEntries() {
    return CATALOG.entries().stream()
        .filter(e -> !(e.rule().behaviour() == Behaviour.SERVICE_ACCOUNT_SCOPE
            && LEFT_TO_RUNTIME_BEHAVIOURS_TEST.contains(e.rule().method())))
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("matrix")
  void decisionFollowsTheRule(String method, Kind kind) {
    CatalogEntry entry = Fixtures.entry(method);
    MethodRule rule = entry.rule();
    Decision decision = decide(entry, kind);
    boolean expected = expectedAllowed(rule, kind);

    assertEquals(expected, decision.allowed(), () -> rule.requirement() + " as " + kind
        + " -> " + decision.reason() + ": " + decision.message());
    assertEquals(method, decision.method());
    assertEquals(POLICY.version(), decision.policyVersion());
    if (kind != Kind.ANONYMOUS || rule.scope() == Scope.PUBLIC) {
      assertEquals(rule.requirement(), decision.required());
    }
    assertEquals(expected && rule.behaviour() == Behaviour.FILTER_NAMESPACE_LIST,
        decision.filterNamespaceList(), "only an allowed ListNamespaces filters its response");
    if (expected) {
      assertEquals(Reason.ALLOWED, decision.reason());
      assertEquals(StatusCode.OK, decision.status());
      if (rule.scope() == Scope.NAMESPACE) {
        assertEquals(List.of(NS), decision.namespaces(), "the namespaces the call named");
      }
    } else {
      Reason reason = expectedDenyReason(rule, kind);
      assertEquals(reason, decision.reason(), decision::message);
      assertEquals(reason == Reason.NO_CREDENTIALS
          ? StatusCode.UNAUTHENTICATED : StatusCode.PERMISSION_DENIED, decision.status());
      assertFalse(decision.message().isBlank());
    }
    if (kind != Kind.ANONYMOUS && rule.scope() != Scope.PUBLIC) {
      assertEquals(kind.id, decision.principal(), "decided for the key's owner");
      assertEquals(Fixtures.keyIdOf(kind.id), decision.keyId());
    }
  }

  @Test
  void matrixShowsEveryOutcome() {
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    for (CatalogEntry entry : matrixEntries()) {
      for (Kind kind : Kind.values()) {
        counts.merge(decide(entry, kind).reason(), 1, Integer::sum);
      }
    }
    assertEquals(EnumSet.of(Reason.ALLOWED, Reason.MISSING_ROLE,
        Reason.MISSING_NAMESPACE_PERMISSION, Reason.NO_CREDENTIALS), counts.keySet(),
        counts::toString);
  }

  @Test
  void onlyTheServiceAccountManagementMethodsAreLeftOut() {
    Set<String> left = new TreeSet<>();
    List<CatalogEntry> inMatrix = matrixEntries();
    for (CatalogEntry entry : CATALOG.entries()) {
      if (!inMatrix.contains(entry)) {
        left.add(entry.rule().method());
      }
    }
    assertEquals(new TreeSet<>(LEFT_TO_RUNTIME_BEHAVIOURS_TEST), left);
    assertTrue(CATALOG.size() > 150, "the catalog covers the pinned services");
  }

  @Test
  void everyKindIsBothAllowedAndDeniedSomewhereExceptTheAccountOwner() {
    for (Kind kind : Kind.values()) {
      Set<Boolean> seen = new TreeSet<>();
      for (CatalogEntry entry : matrixEntries()) {
        seen.add(decide(entry, kind).allowed());
      }
      Set<Boolean> expected = kind == Kind.ACCOUNT_OWNER ? Set.of(true) : Set.of(false, true);
      assertEquals(expected, seen, kind.toString());
    }
  }

  // ---- the expectation, from the rule alone ----

  private static boolean expectedAllowed(MethodRule rule, Kind kind) {
    switch (rule.scope()) {
      case PUBLIC:
        return true;
      case AUTHENTICATED:
        return kind != Kind.ANONYMOUS;
      case ACCOUNT:
        if (kind == Kind.ANONYMOUS) {
          return false;
        }
        if (kind.role == null) {
          return rule.roles().containsAll(EnumSet.allOf(AccountRole.class));
        }
        return rule.roles().contains(kind.role);
      case NAMESPACE:
        if (kind.role == AccountRole.GLOBAL_ADMIN || kind.role == AccountRole.ACCOUNT_OWNER) {
          return true;
        }
        return kind.ns1 != null && rank(kind.ns1) >= rank(rule.permission());
      default:
        throw new AssertionError(rule.scope());
    }
  }

  private static Reason expectedDenyReason(MethodRule rule, Kind kind) {
    if (kind == Kind.ANONYMOUS) {
      return Reason.NO_CREDENTIALS;
    }
    return rule.scope() == Scope.ACCOUNT ? Reason.MISSING_ROLE : Reason.MISSING_NAMESPACE_PERMISSION;
  }

  private static int rank(NamespacePermission permission) {
    switch (permission) {
      case READ:
        return 1;
      case WRITE:
        return 2;
      case ADMIN:
        return 3;
      default:
        throw new AssertionError(permission);
    }
  }

  // ---- requests ----

  private static Decision decide(CatalogEntry entry, Kind kind) {
    Request request = request(entry, kind);
    Caller caller = kind == Kind.ANONYMOUS
        ? Caller.anonymous() : Caller.apiKey(Fixtures.secretOf(kind.id));
    return AUTHORIZER.decide(POLICY, caller, entry.fullMethodName(), request.body(),
        request.header());
  }

  /**
   * Namespace methods name ns1 in the body (or the header when the request has no namespace
   * field); API key methods act on the caller's own key; everything else sends an empty body.
   */
  private static Request request(CatalogEntry entry, Kind kind) {
    MethodRule rule = entry.rule();
    Descriptor type = entry.descriptor().getInputType();
    if (rule.scope() == Scope.NAMESPACE) {
      return Fixtures.namespaceField(type) != null
          ? new Request(Fixtures.withNamespace(type, NS), null)
          : new Request(new byte[0], NS);
    }
    if (rule.behaviour() == Behaviour.API_KEY_OWNERSHIP && kind.id != null) {
      return new Request(ownKeyRequest(rule.method(), kind.id), null);
    }
    if (rule.behaviour() == Behaviour.SERVICE_ACCOUNT_SCOPE) {
      return new Request(
          GetServiceAccountRequest.newBuilder().setServiceAccountId("sa-ns1").build()
              .toByteArray(), null);
    }
    return new Request(new byte[0], null);
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
