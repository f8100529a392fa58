package dev.temporalrbac.proxy.policy;

import java.io.IOException;

/**
 * Where the policy comes from: a file, a directory (a Kubernetes ConfigMap mount) or an http(s)
 * URL. {@link PolicyWatcher} reads it on every poll; the source only reads, it never decides
 * what is installed. Called by one thread at a time (the watcher's checks never overlap).
 */
public interface PolicySource {
  /** The source for messages, {@code /readyz} and the snapshot: a path, or a URL without secrets. */
  String describe();

  /**
   * Reads the source once, with its signature when it is signed.
   *
   * @param versionInForce the version installed now, or null: a source that can ask "changed
   *     since?" (HTTP {@code If-None-Match}) asks only about this version, and answers
   *     {@link PolicyRead#UNCHANGED} when it is still current
   * @throws IOException when the source cannot be read now (missing, unreachable, timed out, an
   *     error status, too large); the message names the source and why
   */
  PolicyRead read(String versionInForce) throws IOException;

  /** Whether a content change must hold still for {@code policy.settle} (a file edited in place). */
  default boolean settles() {
    return false;
  }
}
