package dev.temporalrbac.policy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.wire.Fact;
import dev.temporalrbac.policy.wire.RequestFacts;
import dev.temporalrbac.policy.wire.RequestReader;
import io.temporal.api.cloud.cloudservice.v1.CreateApiKeyRequest;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.UpdateServiceAccountRequest;
import io.temporal.api.cloud.identity.v1.Access;
import io.temporal.api.cloud.identity.v1.ApiKeySpec;
import io.temporal.api.cloud.identity.v1.NamespaceScopedAccess;
import io.temporal.api.cloud.identity.v1.ServiceAccountSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MethodCatalogTest {
  private static final MethodCatalog CATALOG = MethodCatalog.load();
  private static final String CLOUD = "temporal.api.cloud.cloudservice.v1.CloudService/";
  private static final String WORKFLOW = "temporal.api.workflowservice.v1.WorkflowService/";

  private static ServiceDescriptor service(TemporalService service) {
    return service.descriptorFile().findServiceByName(service.shortName());
  }

  @Test
  void everyMethodHasARuleAndEveryRuleAMethod() {
    assertEquals(List.of(), CATALOG.methodsWithoutRule());
    assertEquals(List.of(), CATALOG.rulesWithoutMethod());
  }

  /** PERMISSIONS.md §4: every role may read and list service accounts; nothing else is a read. */
  @Test
  void theTableMarksExactlyTheServiceAccountReadsReadOnly() {
    Set<String> readOnly = new java.util.HashSet<>();
    for (CatalogEntry entry : CATALOG.entries()) {
      if (entry.rule().readOnly()) {
        readOnly.add(entry.fullMethodName());
      }
    }
    assertEquals(Set.of(CLOUD + "GetServiceAccount", CLOUD + "GetServiceAccounts"), readOnly);
  }

  @Test
  void aRuleIsNotReadOnlyUnlessItSaysSo() {
    MethodRule added = new MethodRule(TemporalService.CLOUD, "GetServiceAccountSecrets",
        Scope.ACCOUNT, Set.of(AccountRole.values()), null, Behaviour.SERVICE_ACCOUNT_SCOPE, "test");
    assertFalse(added.readOnly(), "a Get name does not make a read");
  }

  @Test
  void catalogHoldsTheThreeTemporalServicesHealthCheckAndPolicyAdmin() {
    int expected = service(TemporalService.WORKFLOW).getMethods().size()
        + service(TemporalService.OPERATOR).getMethods().size()
        + service(TemporalService.CLOUD).getMethods().size() + 1 + 2;
    assertEquals(expected, CATALOG.size());
    assertEquals(expected, CATALOG.entries().size());
    assertEquals(RuleTable.rules().size(), CATALOG.size());
    assertNotNull(CATALOG.find("grpc.health.v1.Health/Check"));
    assertNull(CATALOG.find("grpc.health.v1.Health/Watch"), "only Check is ruled");
  }

  @Test
  void cloudServiceHas73MethodsAllRuled() {
    ServiceDescriptor cloud = service(TemporalService.CLOUD);
    assertEquals(73, cloud.getMethods().size());
    long ruled = CATALOG.entries().stream()
        .filter(e -> e.rule().service() == TemporalService.CLOUD).count();
    assertEquals(73, ruled);
    cloud.getMethods().forEach(m -> assertNotNull(CATALOG.find(CLOUD + m.getName()), m.getName()));
  }

  /** Expectations written out here, not read from the rule table: the proxy's own API. */
  @Test
  void policyAdminIsForAccountAdministratorsOnlyAndNotForwarded() {
    ServiceDescriptor admin = service(TemporalService.POLICY_ADMIN);
    assertEquals(List.of("Explain", "GetPolicyStatus"),
        admin.getMethods().stream().map(m -> m.getName()).toList());
    for (String method : List.of("Explain", "GetPolicyStatus")) {
      CatalogEntry entry = CATALOG.find("temporalrbac.v1.PolicyAdmin/" + method);
      assertNotNull(entry, method);
      assertEquals(Scope.ACCOUNT, entry.rule().scope(), method);
      assertEquals(Set.of(AccountRole.GLOBAL_ADMIN, AccountRole.ACCOUNT_OWNER),
          entry.rule().roles(), method);
      assertEquals(Behaviour.NONE, entry.rule().behaviour(), method);
      assertFalse(entry.needsBody(), method + " is decided on its headers alone");
      assertFalse(entry.rule().service().forwarded(), method);
    }
    assertTrue(TemporalService.WORKFLOW.forwarded());
    assertTrue(TemporalService.HEALTH.forwarded());
  }

  @Test
  void aPolicyAdminMethodWithoutARuleIsReported() {
    List<MethodRule> rules = new ArrayList<>(RuleTable.rules());
    assertTrue(rules.removeIf(r -> r.fullMethodName().equals("temporalrbac.v1.PolicyAdmin/Explain")));
    assertEquals(List.of("temporalrbac.v1.PolicyAdmin/Explain"),
        MethodCatalog.build(rules).methodsWithoutRule());
  }

  @Test
  void entriesAreIndexedDenselyAndFoundByName() {
    for (int i = 0; i < CATALOG.size(); i++) {
      CatalogEntry entry = CATALOG.entries().get(i);
      assertEquals(i, entry.index());
      assertSame(entry, CATALOG.find(entry.fullMethodName()));
      assertEquals(entry.rule().method(), entry.descriptor().getName());
      assertEquals(entry.descriptor().getInputType(), entry.plan().requestType());
      assertEquals(entry.rule().service().fullName(),
          entry.descriptor().getService().getFullName());
    }
    assertNull(CATALOG.find(WORKFLOW + "NoSuchMethod"));
    assertNull(CATALOG.find("temporal.api.workflowservice.v1.WorkflowService.StartWorkflowExecution"));
    assertNull(CATALOG.find("other.Service/StartWorkflowExecution"));
  }

  @Test
  void aMissingRuleIsReportedAndItsMethodLeftOut() {
    List<MethodRule> rules = new ArrayList<>(RuleTable.rules());
    assertTrue(rules.removeIf(r -> r.fullMethodName().equals(WORKFLOW + "StartWorkflowExecution")));
    MethodCatalog partial = MethodCatalog.build(rules);
    assertEquals(List.of(WORKFLOW + "StartWorkflowExecution"), partial.methodsWithoutRule());
    assertNull(partial.find(WORKFLOW + "StartWorkflowExecution"));
    assertEquals(CATALOG.size() - 1, partial.size());
    assertEquals(List.of(), partial.rulesWithoutMethod());
  }

  @Test
  void aRuleForAnUnknownMethodIsReported() {
    List<MethodRule> rules = new ArrayList<>(RuleTable.rules());
    MethodRule bogus = new MethodRule(TemporalService.CLOUD, "GetFluxCapacitor", Scope.ACCOUNT,
        Set.of(AccountRole.ACCOUNT_OWNER), null, Behaviour.NONE, "test");
    rules.add(bogus);
    MethodCatalog catalog = MethodCatalog.build(rules);
    assertEquals(List.of(bogus), catalog.rulesWithoutMethod());
    assertEquals(List.of(), catalog.methodsWithoutRule());
    assertNull(catalog.find(CLOUD + "GetFluxCapacitor"));
  }

  @Test
  void twoRulesForOneMethodAreRejected() {
    List<MethodRule> rules = new ArrayList<>(RuleTable.rules());
    rules.add(rules.get(0));
    assertThrows(IllegalArgumentException.class, () -> MethodCatalog.build(rules));
  }

  @Test
  void namespaceScopedMethodsReadANamespaceFromTheBody() {
    for (CatalogEntry entry : CATALOG.entries()) {
      boolean readsNamespace = entry.plan().paths().stream()
          .anyMatch(p -> p.endsWith("=NAMESPACE") || p.endsWith("=NAMESPACE_ID"));
      if (entry.rule().scope() == Scope.NAMESPACE
          && !entry.fullMethodName().equals(WORKFLOW + "GetSearchAttributes")) {
        assertTrue(readsNamespace, entry.fullMethodName() + " " + entry.plan().paths());
        assertTrue(entry.needsBody());
      } else {
        assertFalse(readsNamespace, entry.fullMethodName() + " " + entry.plan().paths());
      }
      if (entry.rule().scope() != Scope.NAMESPACE && entry.rule().behaviour() == Behaviour.NONE) {
        assertFalse(entry.needsBody(), entry.fullMethodName() + " is decided without its body");
      }
    }
  }

  static Stream<Arguments> behaviourPaths() {
    return Stream.of(
        Arguments.of("CreateApiKey", List.of("spec.owner_id=OWNER_ID")),
        Arguments.of("GetApiKey", List.of("key_id=KEY_ID")),
        Arguments.of("GetApiKeys", List.of("owner_id=OWNER_ID")),
        Arguments.of("UpdateApiKey", List.of("key_id=KEY_ID", "spec.owner_id=OWNER_ID")),
        Arguments.of("DeleteApiKey", List.of("key_id=KEY_ID")),
        Arguments.of("CreateServiceAccount", List.of("spec.access=ACCOUNT_ACCESS",
            "spec.namespace_scoped_access=SCOPED_ACCESS",
            "spec.namespace_scoped_access.namespace=SCOPED_NAMESPACE")),
        Arguments.of("GetServiceAccount", List.of("service_account_id=SERVICE_ACCOUNT_ID")),
        Arguments.of("GetServiceAccounts", List.of()),
        Arguments.of("UpdateServiceAccount", List.of("service_account_id=SERVICE_ACCOUNT_ID",
            "spec.access=ACCOUNT_ACCESS", "spec.namespace_scoped_access=SCOPED_ACCESS",
            "spec.namespace_scoped_access.namespace=SCOPED_NAMESPACE")),
        Arguments.of("DeleteServiceAccount", List.of("service_account_id=SERVICE_ACCOUNT_ID")),
        Arguments.of("CreateNamespace", List.of("tags[]=TAGS")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("behaviourPaths")
  void behaviourMethodsResolveTheFieldsTheyNeed(String method, List<String> paths) {
    CatalogEntry entry = CATALOG.find(CLOUD + method);
    assertNotNull(entry);
    assertFalse(entry.rule().behaviour() == Behaviour.NONE);
    assertEquals(paths, entry.plan().paths());
  }

  @Test
  void everyBehaviourMethodIsCoveredAbove() {
    long withBehaviour = CATALOG.entries().stream()
        .filter(e -> e.rule().behaviour() != Behaviour.NONE
            && e.rule().behaviour() != Behaviour.FILTER_NAMESPACE_LIST)
        .count();
    assertEquals(behaviourPaths().count(), withBehaviour);
  }

  private static RequestFacts read(String method, Message request) throws Exception {
    return readBytes(method, request.toByteArray());
  }

  @Test
  void behaviourFactsAreReadFromRealRequests() throws Exception {
    RequestFacts key = read("CreateApiKey", CreateApiKeyRequest.newBuilder()
        .setSpec(ApiKeySpec.newBuilder().setOwnerId("user-1").setDisplayName("k")).build());
    assertEquals("user-1", key.value(Fact.OWNER_ID));

    RequestFacts scoped = read("UpdateServiceAccount", UpdateServiceAccountRequest.newBuilder()
        .setServiceAccountId("sa-1").setSpec(ServiceAccountSpec.newBuilder().setName("bot")
            .setNamespaceScopedAccess(NamespaceScopedAccess.newBuilder().setNamespace("ns.acct")))
        .build());
    assertEquals("sa-1", scoped.value(Fact.SERVICE_ACCOUNT_ID));
    assertEquals("ns.acct", scoped.value(Fact.SCOPED_NAMESPACE));
    assertTrue(scoped.present(Fact.SCOPED_ACCESS));
    assertFalse(scoped.present(Fact.ACCOUNT_ACCESS));

    RequestFacts account = read("UpdateServiceAccount", UpdateServiceAccountRequest.newBuilder()
        .setServiceAccountId("sa-2").setSpec(ServiceAccountSpec.newBuilder()
            .setAccess(Access.getDefaultInstance())).build());
    assertTrue(account.present(Fact.ACCOUNT_ACCESS), "an empty message is still present");
    assertFalse(account.present(Fact.SCOPED_ACCESS));
    assertEquals("", account.value(Fact.SCOPED_NAMESPACE));

    assertTrue(read("CreateNamespace", CreateNamespaceRequest.newBuilder()
        .putAllTags(Map.of("team", "a")).build()).present(Fact.TAGS));
    assertFalse(read("CreateNamespace", CreateNamespaceRequest.newBuilder()
        .setAsyncOperationId("op").build()).present(Fact.TAGS));
  }

  @Test
  void presenceNeedsTheDeclaredWireType() throws Exception {
    // CreateNamespace.tags (field 4) sent as a varint: an unknown field, no tags
    byte[] tags = {0x20, 0x01};
    assertEquals(0, CreateNamespaceRequest.parseFrom(tags).getTagsCount());
    assertFalse(readBytes("CreateNamespace", tags).present(Fact.TAGS));
    // UpdateServiceAccount.spec (2) holding access (2) as a varint: access is not set
    byte[] access = {0x12, 0x02, 0x10, 0x01};
    assertFalse(UpdateServiceAccountRequest.parseFrom(access).getSpec().hasAccess());
    assertFalse(readBytes("UpdateServiceAccount", access).present(Fact.ACCOUNT_ACCESS));
  }

  private static RequestFacts readBytes(String method, byte[] bytes) throws Exception {
    RequestFacts facts = new RequestFacts();
    RequestReader.read(CATALOG.find(CLOUD + method).plan(), bytes, facts);
    return facts;
  }
}
