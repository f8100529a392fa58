package dev.temporalrbac.policy.eval;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.ExpectedPermissions;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.Access;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.Expectation;
import dev.temporalrbac.policy.catalog.ExpectedPermissions.RuntimeRequest;
import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every catalog method against every kind of principal of {@link Fixtures#standard()}, with the
 * outcome expected by {@link ExpectedPermissions} (the vendored seed facts and PERMISSIONS.md §3
 * as data) and PERMISSIONS.md §2 (who holds what). Nothing here reads a production rule: the
 * catalog only names the methods and gives their request types. Calls go through API keys, as on
 * the wire. Stateless apart from its authorizer and policy; thread-safe.
 */
final class AuthorizerMatrix {
  static final String NS = "ns1";
  /** The {@code request} column of a runtime row the matrix sends only anonymously. */
  static final String LEFT_TO_RUNTIME_BEHAVIOURS_TEST = "RuntimeBehavioursTest";
  /** The runtime-behaviour rows, by CloudService method. */
  private static final Map<String, RuntimeRequest> RUNTIME = ExpectedPermissions.runtimeRequests()
      .stream().collect(Collectors.toMap(RuntimeRequest::method, r -> r));

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

    /** E.g. {@code reader (read_only, read on ns1)}, for messages. */
    String describe() {
      if (id == null) {
        return "anonymous (no credentials)";
      }
      String held = ns1 == null ? "" : ", " + ns1.yamlName() + " on " + NS;
      return role == null
          ? id + " (service account scoped to " + NS + held + ")"
          : id + " (" + role.yamlName() + held + ")";
    }
  }

  /** One call of the matrix. */
  record Case(CatalogEntry entry, Kind kind) {
    @Override
    public String toString() {
      return shortName(entry) + " as " + kind.describe();
    }
  }

  /** What a call should come to. */
  record Expected(boolean allowed, Reason reason, StatusCode status) {}

  private final Authorizer authorizer;
  private final PolicySnapshot policy;

  AuthorizerMatrix(Authorizer authorizer, PolicySnapshot policy) {
    this.authorizer = authorizer;
    this.policy = policy;
  }

  /** {@code WorkflowService/StartWorkflowExecution}, from the descriptor. */
  static String shortName(CatalogEntry entry) {
    MethodDescriptor method = entry.descriptor();
    return method.getService().getName() + "/" + method.getName();
  }

  /** {@code package.Service/Method}, from the descriptor. */
  static String fullName(CatalogEntry entry) {
    MethodDescriptor method = entry.descriptor();
    return method.getService().getFullName() + "/" + method.getName();
  }

  static Expectation expectation(CatalogEntry entry) {
    Expectation expectation = ExpectedPermissions.all().get(shortName(entry));
    if (expectation == null) {
      throw new AssertionError(shortName(entry) + " has no row in " + ExpectedPermissions.FACTS
          + " or " + ExpectedPermissions.UNLISTED);
    }
    return expectation;
  }

  /** The runtime-behaviour row of a CloudService method, or null. */
  static RuntimeRequest runtimeRequest(Expectation expectation) {
    if (!expectation.service().equals("CloudService")) {
      return null;
    }
    return RUNTIME.get(expectation.method());
  }

  /** Every method as every kind; the rows left to RuntimeBehavioursTest as anonymous only. */
  List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (CatalogEntry entry : authorizer.catalog().entries()) {
      RuntimeRequest runtime = runtimeRequest(expectation(entry));
      boolean leftOut = runtime != null
          && runtime.request().equals(LEFT_TO_RUNTIME_BEHAVIOURS_TEST);
      for (Kind kind : Kind.values()) {
        if (!leftOut || kind == Kind.ANONYMOUS) {
          cases.add(new Case(entry, kind));
        }
      }
    }
    return cases;
  }

  Decision decide(Case call) {
    Expectation expectation = expectation(call.entry());
    Kind kind = call.kind();
    Caller caller = kind == Kind.ANONYMOUS
        ? Caller.anonymous() : Caller.apiKey(Fixtures.secretOf(kind.id));
    Descriptor type = call.entry().descriptor().getInputType();
    if (expectation.access() == Access.NAMESPACE && Fixtures.namespaceField(type) == null) {
      // e.g. GetSearchAttributes: no namespace in the body, so it goes in the header (§3)
      return authorizer.decide(policy, caller, fullName(call.entry()), new byte[0], NS);
    }
    byte[] body = new byte[0];
    RuntimeRequest runtime = runtimeRequest(expectation);
    if (expectation.access() == Access.NAMESPACE) {
      body = Fixtures.withNamespace(type, NS);
    } else if (runtime != null && kind.id != null) {
      body = MatrixRequests.runtimeBody(runtime, kind.id);
    }
    return authorizer.decide(policy, caller, fullName(call.entry()), body, null);
  }

  /**
   * PERMISSIONS.md §2 applied to one row: admins hold Namespace Admin everywhere, the others their
   * ns1 grant; a namespace-scoped service account calls only what every role may call.
   */
  static Expected expected(Expectation expectation, Kind kind) {
    if (expectation.access() == Access.ANY_CALLER) {
      return allow();
    }
    if (kind == Kind.ANONYMOUS) {
      return new Expected(false, Reason.NO_CREDENTIALS, StatusCode.UNAUTHENTICATED);
    }
    switch (expectation.access()) {
      case ANY_AUTHENTICATED:
        return allow();
      case ROLES:
        boolean roleAllowed = kind.role == null
            ? expectation.everyRole() : expectation.roles().contains(kind.role);
        return roleAllowed ? allow() : deny(Reason.MISSING_ROLE);
      case NAMESPACE:
        boolean admin =
            kind.role == AccountRole.GLOBAL_ADMIN || kind.role == AccountRole.ACCOUNT_OWNER;
        return admin || satisfies(kind.ns1, expectation.permission())
            ? allow() : deny(Reason.MISSING_NAMESPACE_PERMISSION);
      default:
        throw new AssertionError(expectation.access());
    }
  }

  /**
   * What is wrong with the decision on {@code call}, in words, or null when it is as expected:
   * the outcome, status and reason, what the call required, and whom it was decided for.
   */
  String mismatch(Case call) {
    Expectation expectation = expectation(call.entry());
    Kind kind = call.kind();
    Expected expected = expected(expectation, kind);
    Decision decision = decide(call);
    String where = " for " + kind.describe() + " on " + expectation.shortName() + " per "
        + expectation.source() + ": " + expectation.inWords();
    if (decision.allowed() != expected.allowed() || decision.status() != expected.status()
        || decision.reason() != expected.reason()) {
      return "expected " + verdict(expected.allowed(), expected.status(), expected.reason())
          + where + "; got " + verdict(decision.allowed(), decision.status(), decision.reason())
          + ": " + decision.message();
    }
    List<String> wrong = new ArrayList<>();
    if (kind != Kind.ANONYMOUS || expectation.access() == Access.ANY_CALLER) {
      String required = requirement(expectation);
      if (!required.equals(decision.required())) {
        wrong.add("requirement '" + decision.required() + "', expected '" + required + "'");
      }
    }
    boolean filtered = expected.allowed() && expectation.onlyReadableNamespaces();
    if (decision.filterNamespaceList() != filtered) {
      wrong.add("filterNamespaceList " + decision.filterNamespaceList());
    }
    if (expected.allowed() && expectation.access() == Access.NAMESPACE
        && !decision.namespaces().equals(List.of(NS))) {
      wrong.add("namespaces " + decision.namespaces() + ", expected [" + NS + "]");
    }
    if (kind != Kind.ANONYMOUS && expectation.access() != Access.ANY_CALLER
        && (!kind.id.equals(decision.principal())
            || !Fixtures.keyIdOf(kind.id).equals(decision.keyId()))) {
      wrong.add("decided for " + decision.principal() + " by key '" + decision.keyId() + "'");
    }
    if (!fullName(call.entry()).equals(decision.method())
        || !policy.version().equals(decision.policyVersion())) {
      wrong.add("method " + decision.method() + ", policy version " + decision.policyVersion());
    }
    return wrong.isEmpty() ? null
        : "decision " + verdict(decision.allowed(), decision.status(), decision.reason()) + where
            + ", but " + String.join("; ", wrong);
  }

  /** The requirement as {@code explain} and {@code matrix} print it, from the row. */
  static String requirement(Expectation expectation) {
    switch (expectation.access()) {
      case ANY_CALLER:
        return "any caller";
      case ANY_AUTHENTICATED:
        return "any principal";
      case NAMESPACE:
        return "namespace:" + expectation.permission().yamlName();
      default:
        return expectation.everyRole() ? "role:any"
            : "role:" + String.join("|", ExpectedPermissions.yamlNames(expectation.roles()));
    }
  }

  /** Namespace Admin ⊃ Write ⊃ Read (PERMISSIONS.md §1), written out. */
  private static boolean satisfies(NamespacePermission held, NamespacePermission needed) {
    Set<NamespacePermission> enough = switch (needed) {
      case READ -> EnumSet.allOf(NamespacePermission.class);
      case WRITE -> Set.of(NamespacePermission.WRITE, NamespacePermission.ADMIN);
      case ADMIN -> Set.of(NamespacePermission.ADMIN);
    };
    return held != null && enough.contains(held);
  }

  private static Expected allow() {
    return new Expected(true, Reason.ALLOWED, StatusCode.OK);
  }

  private static Expected deny(Reason reason) {
    return new Expected(false, reason, StatusCode.PERMISSION_DENIED);
  }

  private static String verdict(boolean allowed, StatusCode status, Reason reason) {
    return allowed ? "ALLOW" : "DENY (" + status + ", " + reason + ")";
  }
}
