package dev.temporalrbac.proxy.server;

/** Whether denials are enforced or only recorded (shadow mode, like Envoy's shadow rules). */
public enum EnforcementMode {
  /** A denied call is answered with its error and never reaches the upstream. */
  ENFORCE,
  /** A denied call is logged and counted as a would-be deny, then forwarded. */
  DRY_RUN
}
