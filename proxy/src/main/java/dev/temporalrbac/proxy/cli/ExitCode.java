package dev.temporalrbac.proxy.cli;

/**
 * Process exit codes of every command. Scripts branch on them, so they are part of the interface:
 * {@code explain} in particular answers "would this call be allowed?" through its exit code.
 */
public final class ExitCode {
  /** Success; for {@code explain}, the call would be allowed. */
  public static final int OK = 0;
  /** The policy file was rejected or could not be read (or stdin failed). */
  public static final int POLICY_ERROR = 1;
  /** The command line was wrong: unknown command or option, missing value. */
  public static final int USAGE = 2;
  /** {@code explain}: the call would be denied. */
  public static final int DENY = 3;
  /**
   * {@code check --against}: the new policy is valid but some principal loses something (a role,
   * a namespace permission, a usable API key, an accepted certificate), so the change needs a
   * reviewer. The same number as {@link #DENY}: both mean "valid input, and the answer is no".
   */
  public static final int LOSS = 3;

  private ExitCode() {}
}
