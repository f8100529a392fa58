package dev.temporalrbac.policy.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy document was rejected; nothing of it was loaded. Lists every problem found in file
 * order ({@link PolicyError#FILE_ORDER}), whatever order they were found in.
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(message(inFileOrder(errors)));
    this.errors = inFileOrder(errors);
  }

  private static List<PolicyError> inFileOrder(List<PolicyError> errors) {
    return errors.stream().sorted(PolicyError.FILE_ORDER).toList(); // stable: ties keep their order
  }

  private static String message(List<PolicyError> errors) {
    return errors.size() + (errors.size() == 1 ? " error" : " errors") + " in policy:\n  "
        + errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n  "));
  }

  public List<PolicyError> errors() {
    return errors;
  }
}
