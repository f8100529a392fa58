package dev.temporalrbac.policy.catalog;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.temporalrbac.policy.wire.RequestPlan;

/**
 * One method of the pinned services with its rule and the plan for reading its request.
 *
 * @param index dense position in the catalog, for per-method arrays (metrics, caches)
 */
public record CatalogEntry(int index, MethodRule rule, MethodDescriptor descriptor, RequestPlan plan) {

  public String fullMethodName() {
    return rule.fullMethodName();
  }

  /** True when the body must be read before the call can be decided. */
  public boolean needsBody() {
    return !plan.readsNothing();
  }
}
