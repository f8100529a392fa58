package dev.temporalrbac.policy.catalog;

import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * The gRPC services the catalog knows, with the descriptor file that defines each: Temporal's
 * three services and gRPC health, which the proxy forwards, and the proxy's own
 * {@code temporalrbac.v1.PolicyAdmin}, which it serves itself under the same rules engine.
 */
public enum TemporalService {
  WORKFLOW("temporal.api.workflowservice.v1.WorkflowService"),
  OPERATOR("temporal.api.operatorservice.v1.OperatorService"),
  CLOUD("temporal.api.cloud.cloudservice.v1.CloudService"),
  HEALTH("grpc.health.v1.Health"),
  POLICY_ADMIN("temporalrbac.v1.PolicyAdmin");

  private final String fullName;

  TemporalService(String fullName) {
    this.fullName = fullName;
  }

  /** Fully qualified service name, the part of a gRPC method name before the slash. */
  public String fullName() {
    return fullName;
  }

  /** Short name used in tables and metrics, e.g. {@code WorkflowService}. */
  public String shortName() {
    return fullName.substring(fullName.lastIndexOf('.') + 1);
  }

  /**
   * False for the proxy's own service: its calls are decided like any other but answered by the
   * proxy, never sent upstream.
   */
  public boolean forwarded() {
    return this != POLICY_ADMIN;
  }

  /** The descriptor file of the pinned artifact that declares this service. */
  FileDescriptor descriptorFile() {
    switch (this) {
      case WORKFLOW:
        return io.temporal.api.workflowservice.v1.ServiceProto.getDescriptor();
      case OPERATOR:
        return io.temporal.api.operatorservice.v1.ServiceProto.getDescriptor();
      case CLOUD:
        return io.temporal.api.cloud.cloudservice.v1.ServiceProto.getDescriptor();
      case HEALTH:
        return io.grpc.health.v1.HealthProto.getDescriptor();
      case POLICY_ADMIN:
        return dev.temporalrbac.proto.v1.PolicyAdminProto.getDescriptor();
      default:
        throw new AssertionError(this);
    }
  }
}
