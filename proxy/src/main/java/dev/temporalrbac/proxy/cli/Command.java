package dev.temporalrbac.proxy.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;

/**
 * One subcommand of the jar. Commands take their streams and return an exit code instead of
 * touching {@code System.*}, so tests run them in-process and only {@code Main} exits.
 */
public interface Command {
  /** The word that selects the command, e.g. {@code check}. */
  String name();

  /** One line for the top-level usage. */
  String summary();

  /** The full usage text, printed for {@code --help} and after a usage error. */
  String usage();

  /** Options that take a value, without {@code --}. */
  Set<String> valueOptions();

  /** Options that take no value, without {@code --}. */
  default Set<String> flagOptions() {
    return Set.of();
  }

  /** Does the work once the options are parsed; {@link ExitCode} lists what it may return. */
  int execute(Args args, InputStream in, PrintStream out, PrintStream err) throws UsageException;

  /** Parses {@code argv}, answers {@code --help}, turns usage errors into exit code 2. */
  default int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(argv, valueOptions(), flagOptions());
      if (args.helpRequested()) {
        out.print(usage());
        out.flush();
        return ExitCode.OK;
      }
      return execute(args, in, out, err);
    } catch (UsageException e) {
      err.println(name() + ": " + e.getMessage());
      err.print(usage());
      err.flush();
      return ExitCode.USAGE;
    } finally {
      out.flush();
    }
  }
}
