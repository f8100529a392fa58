package dev.temporalrbac.proxy.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The jar's command line, parsed by picocli: the first argument names the command, {@code help
 * COMMAND} and {@code COMMAND --help} describe one, a mistyped command or option gets a
 * suggestion ({@link UsageErrors}). Commands take their streams from here and return an exit code
 * ({@link ExitCode}) instead of touching {@code System.*}, so tests run them in-process and only
 * {@code Main} exits.
 */
@Command(name = Cli.NAME, sortOptions = false,
    description = "A gRPC proxy that enforces Temporal Cloud's RBAC on every call.",
    footer = {"",
        "'" + Cli.NAME + " help COMMAND' (or 'COMMAND --help') describes a command's options.",
        "Exit codes: 0 ok (explain: allowed), 1 policy, configuration or file rejected,",
        "            2 usage error, 3 explain: denied; check --against: something is lost."})
public final class Cli implements Callable<Integer> {
  /** How the jar is run; usage lines and hints start with it. */
  static final String NAME = "java -jar temporal-rbac-proxy.jar";

  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;

  private Cli() {}

  /** Runs one command line; returns the exit code ({@link ExitCode}). */
  public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new Cli())
        .addSubcommand(new ServeCommand().commandLine())
        .addSubcommand(new CheckCommand())
        .addSubcommand(new ExplainCommand(in).commandLine())
        .addSubcommand(new MatrixCommand())
        .addSubcommand(new HashKeyCommand(in))
        .addSubcommand(new HelpCommand());
    return execute(line, argv, out, err);
  }

  /**
   * Parses {@code argv} for {@code line} (the whole jar, or one command alone) and runs what it
   * names. Settings are applied here, after every subcommand is added, since picocli copies them
   * only to the subcommands present.
   */
  static int execute(CommandLine line, String[] argv, PrintStream out, PrintStream err) {
    // picocli's trace (-Dpicocli.trace) prints every argument to System.err, an API key included
    System.clearProperty("picocli.trace");
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
    line.setOut(outWriter)
        .setErr(errWriter)
        // '@file' would read arguments from a file: an API key starting with '@' must stay a key
        .setExpandAtFiles(false)
        .setParameterExceptionHandler(new UsageErrors())
        .setExecutionExceptionHandler((e, command, parsed) -> {
          // a bug, not the user's mistake: never leave it silent, and exit non-zero
          command.getErr().println(NAME + ": unexpected failure: " + e);
          e.printStackTrace(command.getErr());
          return ExitCode.POLICY_ERROR;
        });
    try {
      return line.execute(argv);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /** No command given: the list of commands on stderr, a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }
}
