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

  private ExitCode() {}
}
