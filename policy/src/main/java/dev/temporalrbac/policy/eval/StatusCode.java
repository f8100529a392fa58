package dev.temporalrbac.policy.eval;

/** The gRPC status a decision maps to; names match {@code io.grpc.Status.Code}. */
public enum StatusCode {
  OK,
  INVALID_ARGUMENT,
  PERMISSION_DENIED,
  UNAUTHENTICATED,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE
}
