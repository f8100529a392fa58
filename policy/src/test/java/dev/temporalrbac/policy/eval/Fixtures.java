package dev.temporalrbac.policy.eval;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.CommandType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Shared fixtures for the policy tests: a policy YAML builder, a standard policy, method names and
 * request builders. Public so that the model and load tests can use it too.
 */
public final class Fixtures {
  /** The instant every fixed clock of these tests stands at. */
  public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  public static final MethodCatalog CATALOG = MethodCatalog.load();
  public static final Authorizer AUTHORIZER =
      new Authorizer(CATALOG, Clock.fixed(NOW, ZoneOffset.UTC));

  public static final String WF = "temporal.api.workflowservice.v1.WorkflowService/";
  public static final String OP = "temporal.api.operatorservice.v1.OperatorService/";
  public static final String CLOUD = "temporal.api.cloud.cloudservice.v1.CloudService/";
  public static final String HEALTH_CHECK = "grpc.health.v1.Health/Check";

  private Fixtures() {}

  /** The secret of the API key the builder gives {@code owner} via {@link PolicyBuilder#keyFor}. */
  public static String secretOf(String owner) {
    return "s3cr3t-value-of-" + owner;
  }

  public static String keyIdOf(String owner) {
    return "key-" + owner;
  }

  /**
   * The policy most eval tests share: one user per account role, read_only users holding read,
   * write or admin on ns1 only, a namespace-scoped service account with write on ns1, namespaces
   * ns1 and ns2 mapped to ids, and one API key per principal.
   */
  public static PolicyBuilder standard() {
    return policy()
        .user("owner", "account_owner").keyFor("owner")
        .user("admin", "global_admin").keyFor("admin")
        .user("dev", "developer").keyFor("dev")
        .user("finance", "finance_admin").keyFor("finance")
        .user("viewer", "read_only").keyFor("viewer")
        .user("reader", "read_only", "ns1=read").keyFor("reader")
        .user("writer", "read_only", "ns1=write").keyFor("writer")
        .user("nsadmin", "read_only", "ns1=admin").keyFor("nsadmin")
        .scopedServiceAccount("sa-ns1", "ns1", "write").keyFor("sa-ns1")
        .namespace("ns1", "id-ns1", null, null)
        .namespace("ns2", "id-ns2", null, null);
  }

  public static PolicyBuilder policy() {
    return new PolicyBuilder();
  }

  /** Builds a policy document section by section; grants are written {@code "ns=permission"}. */
  public static final class PolicyBuilder {
    private final StringBuilder users = new StringBuilder();
    private final StringBuilder accounts = new StringBuilder();
    private final StringBuilder groups = new StringBuilder();
    private final StringBuilder keys = new StringBuilder();
    private final StringBuilder namespaces = new StringBuilder();

    public PolicyBuilder user(String id, String role, String... grants) {
      return member(id, role, List.of(), grants);
    }

    public PolicyBuilder member(String id, String role, List<String> groupIds, String... grants) {
      users.append("  - id: ").append(id).append('\n');
      users.append("    role: ").append(role).append('\n');
      grants(users, grants);
      if (!groupIds.isEmpty()) {
        users.append("    groups: [").append(String.join(", ", groupIds)).append("]\n");
      }
      return this;
    }

    public PolicyBuilder serviceAccount(String id, String role, String... grants) {
      accounts.append("  - id: ").append(id).append('\n');
      accounts.append("    role: ").append(role).append('\n');
      grants(accounts, grants);
      return this;
    }

    public PolicyBuilder scopedServiceAccount(String id, String namespace, String permission) {
      accounts.append("  - id: ").append(id).append('\n');
      accounts.append("    namespace_scoped:\n");
      accounts.append("      namespace: ").append(namespace).append('\n');
      accounts.append("      permission: ").append(permission).append('\n');
      return this;
    }

    public PolicyBuilder group(String id, String role, String... grants) {
      groups.append("  - id: ").append(id).append('\n');
      groups.append("    role: ").append(role).append('\n');
      grants(groups, grants);
      return this;
    }

    /** An API key {@link #keyIdOf(String)} for {@code owner} with secret {@link #secretOf}. */
    public PolicyBuilder keyFor(String owner) {
      return apiKey(keyIdOf(owner), owner, secretOf(owner), null, false);
    }

    public PolicyBuilder apiKey(String id, String owner, String secret, String expires,
        boolean disabled) {
      keys.append("  - id: ").append(id).append('\n');
      keys.append("    owner: ").append(owner).append('\n');
      keys.append("    sha256: ").append(Authorizer.hashSecret(secret)).append('\n');
      if (expires != null) {
        keys.append("    expires: \"").append(expires).append("\"\n");
      }
      if (disabled) {
        keys.append("    disabled: true\n");
      }
      return this;
    }

    public PolicyBuilder namespace(String name, String id, String createdBy, Boolean creatorAdmin) {
      namespaces.append("  - name: ").append(name).append('\n');
      if (id != null) {
        namespaces.append("    id: ").append(id).append('\n');
      }
      if (createdBy != null) {
        namespaces.append("    created_by: ").append(createdBy).append('\n');
      }
      if (creatorAdmin != null) {
        namespaces.append("    creator_admin: ").append(creatorAdmin).append('\n');
      }
      return this;
    }

    public String yaml() {
      StringBuilder out = new StringBuilder();
      section(out, "groups", groups);
      section(out, "users", users);
      section(out, "service_accounts", accounts);
      section(out, "api_keys", keys);
      section(out, "namespaces", namespaces);
      return out.toString();
    }

    /** Parses the document; a rejected fixture is a broken test, so it fails loudly. */
    public PolicySnapshot build() {
      try {
        return PolicyLoader.parse(yaml().getBytes(StandardCharsets.UTF_8), "fixture.yaml", NOW);
      } catch (PolicyException e) {
        throw new AssertionError("fixture policy rejected: " + e.getMessage() + "\n" + yaml(), e);
      }
    }

    private static void grants(StringBuilder out, String... grants) {
      if (grants.length == 0) {
        return;
      }
      out.append("    namespaces:\n");
      for (String grant : grants) {
        String[] parts = grant.split("=", 2);
        out.append("      ").append(parts[0]).append(": ").append(parts[1]).append('\n');
      }
    }

    private static void section(StringBuilder out, String name, StringBuilder body) {
      if (body.length() > 0) {
        out.append(name).append(":\n").append(body);
      }
    }
  }

  // ---- requests ----

  public static CatalogEntry entry(String fullMethod) {
    CatalogEntry entry = CATALOG.find(fullMethod);
    if (entry == null) {
      throw new AssertionError("no catalog entry for " + fullMethod);
    }
    return entry;
  }

  /** The top-level singular {@code string namespace} field of a request type, or null. */
  public static FieldDescriptor namespaceField(Descriptor type) {
    FieldDescriptor field = type.findFieldByName("namespace");
    return field != null && field.getType() == FieldDescriptor.Type.STRING && !field.isRepeated()
        ? field : null;
  }

  /** A request of {@code type} whose top-level {@code namespace} is {@code namespace}. */
  public static byte[] withNamespace(Descriptor type, String namespace) {
    FieldDescriptor field = namespaceField(type);
    if (field == null) {
      throw new AssertionError(type.getFullName() + " has no namespace field");
    }
    return DynamicMessage.newBuilder(type).setField(field, namespace).build().toByteArray();
  }

  /** The request of {@code fullMethod} whose top-level {@code namespace} is {@code namespace}. */
  public static byte[] withNamespace(String fullMethod, String namespace) {
    return withNamespace(entry(fullMethod).descriptor().getInputType(), namespace);
  }

  /** Hand-encodes the string field {@code number} once per value, in order (repeated occurrences). */
  public static byte[] repeatedStringField(int number, String... values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (String value : values) {
        out.writeString(number, value);
      }
      out.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** A command of {@code type} (child, signal or cancel) naming {@code namespace}. */
  public static Command command(String type, String namespace) {
    switch (type) {
      case "child":
        return Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION)
            .setStartChildWorkflowExecutionCommandAttributes(
                StartChildWorkflowExecutionCommandAttributes.newBuilder().setNamespace(namespace)
                    .setWorkflowId("child"))
            .build();
      case "signal":
        return Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION)
            .setSignalExternalWorkflowExecutionCommandAttributes(
                SignalExternalWorkflowExecutionCommandAttributes.newBuilder()
                    .setNamespace(namespace).setSignalName("go"))
            .build();
      default:
        return Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION)
            .setRequestCancelExternalWorkflowExecutionCommandAttributes(
                RequestCancelExternalWorkflowExecutionCommandAttributes.newBuilder()
                    .setNamespace(namespace).setReason("done"))
            .build();
    }
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Field {@code number} holding {@code value} as a length-delimited field. */
  public static byte[] lengthDelimited(int number, byte[] value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeByteArray(number, value);
      out.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  // ---- decisions ----

  public static Decision asPrincipal(PolicySnapshot policy, String principal, String method,
      byte[] body) {
    return AUTHORIZER.decide(policy, Caller.principal(principal), method, body, null);
  }

  public static Decision asPrincipal(PolicySnapshot policy, String principal, String method,
      byte[] body, String header) {
    return AUTHORIZER.decide(policy, Caller.principal(principal), method, body, header);
  }

  /** Decides as the API key {@link PolicyBuilder#keyFor} gave {@code owner}. */
  public static Decision withKeyOf(PolicySnapshot policy, String owner, String method,
      byte[] body) {
    return AUTHORIZER.decide(policy, Caller.apiKey(secretOf(owner)), method, body, null);
  }
}
