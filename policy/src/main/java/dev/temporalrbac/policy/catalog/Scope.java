package dev.temporalrbac.policy.catalog;

/** What a method's rule is decided on. */
public enum Scope {
  /** Any caller, authenticated or not (SDKs call these before anything else). */
  PUBLIC,
  /** Any authenticated principal. */
  AUTHENTICATED,
  /** The caller's account roles (and, for some methods, a {@link Behaviour}). */
  ACCOUNT,
  /** The caller's permission on every namespace the request names. */
  NAMESPACE
}
