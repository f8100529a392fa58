package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.OP;
import static dev.temporalrbac.policy.eval.Fixtures.WF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.wire.RequestFacts;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies that repeat the namespace field with many values (every occurrence counts, §5): the
 * decision stays right while what is kept stays bounded by the policy, not by the body.
 * Standard policy: writer has write on ns1; ns1 and ns2 are mapped to ids.
 */
class ManyNamespacesTest {
  private static final PolicySnapshot POLICY = Fixtures.standard().build();
  private static final int NAMESPACE =
      StartWorkflowExecutionRequest.getDescriptor().findFieldByName("namespace").getNumber();
  private static final int NAMESPACE_ID =
      DeleteNamespaceRequest.getDescriptor().findFieldByName("namespace_id").getNumber();

  private static byte[] repeated(int field, List<String> values) {
    return Fixtures.repeatedStringField(field, values.toArray(new String[0]));
  }

  @Test
  void manyUnlistedNamesDenyAllButAdminsAndKeepOnlyAFew() {
    List<String> values = new ArrayList<>(List.of("ns1"));
    for (int i = 0; i < 5000; i++) {
      values.add("unlisted-" + i);
    }
    values.add("ns2");
    byte[] body = repeated(NAMESPACE, values);
    String start = WF + "StartWorkflowExecution";

    Decision writer = Fixtures.asPrincipal(POLICY, "writer", start, body);
    assertEquals(Reason.MISSING_NAMESPACE_PERMISSION, writer.reason(), writer::message);
    assertTrue(writer.message().contains("namespace unlisted-0:"), writer::message);

    Decision admin = Fixtures.asPrincipal(POLICY, "admin", start, body);
    assertTrue(admin.allowed(), admin::message);
    // ns1, the first unlisted names, and ns2 (listed names are always kept)
    assertEquals(1 + RequestFacts.MAX_UNLISTED + 1, admin.namespaces().size());
    assertTrue(admin.namespaces().contains("ns2"), admin.namespaces()::toString);
  }

  @Test
  void listedNamesRepeatedManyTimesCountOnce() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      values.add(i % 2 == 0 ? "ns1" : "");
    }
    Decision writer = Fixtures.asPrincipal(POLICY, "writer", WF + "StartWorkflowExecution",
        repeated(NAMESPACE, values));
    assertTrue(writer.allowed(), writer::message);
    assertEquals(List.of("ns1"), writer.namespaces());
  }

  @Test
  void moreThanSixteenDistinctNamespaceIdsAreMalformed() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RequestFacts.MAX_NAMESPACE_IDS; i++) {
      ids.add(i == 0 ? "id-ns1" : "id-other-" + i);
      ids.add("id-ns1");
    }
    Decision many = Fixtures.asPrincipal(POLICY, "admin", OP + "DeleteNamespace",
        repeated(NAMESPACE_ID, ids));
    assertTrue(many.allowed(), many::message);

    ids.add("one-more");
    Decision tooMany = Fixtures.asPrincipal(POLICY, "admin", OP + "DeleteNamespace",
        repeated(NAMESPACE_ID, ids));
    assertEquals(Reason.MALFORMED_REQUEST, tooMany.reason(), tooMany::message);
    assertEquals(StatusCode.INVALID_ARGUMENT, tooMany.status());
    assertTrue(tooMany.message().contains("more than " + RequestFacts.MAX_NAMESPACE_IDS
        + " distinct namespace ids"), tooMany::message);

    // an id repeated is one id: nsadmin may delete ns1 by id however often it is sent
    List<String> same = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      same.add("id-ns1");
    }
    Decision repeatedId = Fixtures.asPrincipal(POLICY, "nsadmin", OP + "DeleteNamespace",
        repeated(NAMESPACE_ID, same));
    assertTrue(repeatedId.allowed(), repeatedId::message);
  }

  @Test
  void withoutKnownNamesEveryDistinctNameIsKept() throws Exception {
    RequestFacts facts = new RequestFacts();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.add("n" + (i % 40));
    }
    dev.temporalrbac.policy.wire.RequestReader.read(
        Fixtures.CATALOG.find(WF + "StartWorkflowExecution").plan(),
        repeated(NAMESPACE, values), facts);
    assertEquals(40, facts.namespaceCount());
  }
}
