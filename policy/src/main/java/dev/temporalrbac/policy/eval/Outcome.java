package dev.temporalrbac.policy.eval;

/** Allow or deny. */
public enum Outcome {
  ALLOW,
  DENY
}
