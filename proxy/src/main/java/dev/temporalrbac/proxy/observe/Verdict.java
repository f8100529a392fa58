package dev.temporalrbac.proxy.observe;

import dev.temporalrbac.policy.eval.Decision;

/**
 * What the proxy did with a call, as the metrics and the audit log name it: a bounded set, so it
 * can label a metric. Immutable; usable from any thread.
 */
public enum Verdict {
  /** The call was allowed and forwarded. */
  ALLOW("allow"),
  /** The call was denied and answered by the proxy; nothing went upstream. */
  DENY("deny"),
  /** The policy denies the call, but the proxy runs in dry-run mode and forwarded it anyway. */
  DRY_RUN_DENY("dry_run_deny");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The label value, e.g. {@code dry_run_deny}. */
  public String label() {
    return label;
  }

  /**
   * The verdict for a decision as {@link dev.temporalrbac.proxy.server.CallObserver#decided}
   * reports it.
   *
   * @param enforced false when a deny was only recorded (dry run)
   */
  public static Verdict of(Decision decision, boolean enforced) {
    if (decision.allowed()) {
      return ALLOW;
    }
    return enforced ? DENY : DRY_RUN_DENY;
  }
}
