package dev.temporalrbac.policy.load;

import java.util.List;
import java.util.stream.Collectors;

/** A policy document was rejected; nothing of it was loaded. Lists every problem found. */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in policy:\n  "
        + errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n  ")));
    this.errors = List.copyOf(errors);
  }

  public List<PolicyError> errors() {
    return errors;
  }
}
