package dev.temporalrbac.proxy.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;

/**
 * Filters a {@code ListNamespaces} response to the namespaces the caller may Read
 * (PERMISSIONS.md §3). The one place the proxy parses a message: it must rewrite it.
 */
final class NamespaceListFilter {
  private NamespaceListFilter() {}

  /** The response without the namespaces {@code rights} may not Read. */
  static byte[] filter(byte[] response, EffectiveRights rights)
      throws InvalidProtocolBufferException {
    if (rights.isAdminEverywhere()) {
      return response;
    }
    ListNamespacesResponse parsed = ListNamespacesResponse.parseFrom(response);
    ListNamespacesResponse.Builder kept = parsed.toBuilder().clearNamespaces();
    for (DescribeNamespaceResponse namespace : parsed.getNamespacesList()) {
      NamespacePermission held = rights.permissionOn(namespace.getNamespaceInfo().getName());
      if (held != null && held.includes(NamespacePermission.READ)) {
        kept.addNamespaces(namespace);
      }
    }
    return kept.getNamespacesCount() == parsed.getNamespacesCount()
        ? response : kept.build().toByteArray();
  }
}
