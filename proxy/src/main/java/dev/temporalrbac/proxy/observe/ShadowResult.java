package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;

/**
 * How the shadow policy's decision of a call compares with the enforced one's, by outcome only
 * (two denials for different reasons are the same): the {@code result} label of
 * {@code temporal_rbac_shadow_decisions_total} and the audit log's {@code shadow_decision}.
 * {@link #of} compares two decisions; {@link #UNDECIDED} is reported apart
 * ({@link dev.temporalrbac.proxy.server.CallObserver#shadowUndecided}), as there is no shadow
 * decision to compare. Immutable; usable from any thread.
 */
public enum ShadowResult {
  /** Both allow, or both deny. */
  SAME("same"),
  /** The enforced policy denies; the shadow policy would allow. */
  WOULD_ALLOW("would_allow"),
  /** The enforced policy allows; the shadow policy would deny. */
  WOULD_DENY("would_deny"),
  /**
   * The enforced policy refused the call at its headers (its caller does not authenticate
   * there), while the shadow policy authenticates that caller: what the shadow would decide
   * depends on the request body, which a call refused at its headers never sends, so its answer
   * is unknown. Counted, not a difference: read such calls as "the shadow policy knows this
   * caller", not as "it would allow".
   */
  UNDECIDED("undecided");

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
