package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;

/**
 * How the shadow policy's decision of a call compares with the enforced one's, by outcome only
 * (two denials for different reasons are the same): the {@code result} label of
 * {@code temporal_rbac_shadow_decisions_total} and the audit log's {@code shadow_decision}.
 * Immutable; usable from any thread.
 */
public enum ShadowResult {
  /** Both allow, or both deny. */
  SAME("same"),
  /** The enforced policy denies; the shadow policy would allow. */
  WOULD_ALLOW("would_allow"),
  /** The enforced policy allows; the shadow policy would deny. */
  WOULD_DENY("would_deny");

  private final String label;

  ShadowResult(String label) {
    this.label = label;
  }

  /** The label value, e.g. {@code would_deny}. */
  public String label() {
    return label;
  }

  /** The comparison of {@code shadow} with {@code enforced}. */
  public static ShadowResult of(Decision enforced, Decision shadow) {
    if (enforced.allowed() == shadow.allowed()) {
      return SAME;
    }
    return shadow.allowed() ? WOULD_ALLOW : WOULD_DENY;
  }
}
