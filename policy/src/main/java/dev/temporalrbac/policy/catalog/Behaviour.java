package dev.temporalrbac.policy.catalog;

/**
 * Runtime rules that go beyond "which roles may call this method": they look at the request
 * (PERMISSIONS.md §4) or change what the proxy does with the response (§3).
 */
public enum Behaviour {
  NONE,
  /** Own API keys for every role; any key for Global Admin and Account Owner. */
  API_KEY_OWNERSHIP,
  /** Account-scoped service accounts by admins; namespace-scoped ones by that namespace's admins. */
  SERVICE_ACCOUNT_SCOPE,
  /** Cloud {@code CreateNamespace}: setting {@code tags} needs Global Admin or Account Owner. */
  TAGS_NEED_ADMIN,
  /** {@code ListNamespaces}: the response is filtered to the namespaces the caller may Read. */
  FILTER_NAMESPACE_LIST
}
