package dev.temporalrbac.proxy.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Picks the subcommand named by the first argument and runs it with the rest. */
public final class Cli {
  private static final List<Command> COMMANDS = List.of(
      new ServeCommand(), new CheckCommand(), new ExplainCommand(), new MatrixCommand(),
      new HashKeyCommand());

  private Cli() {}

  /** Runs one command line; returns the exit code ({@link ExitCode}). */
  public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
    if (argv.length == 0) {
      err.print(usage());
      err.flush();
      return ExitCode.USAGE;
    }
    String name = argv[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      out.print(usage());
      out.flush();
      return ExitCode.OK;
    }
    for (Command command : COMMANDS) {
      if (command.name().equals(name)) {
        return command.run(Arrays.copyOfRange(argv, 1, argv.length), in, out, err);
      }
    }
    err.println("unknown command '" + name + "'");
    err.print(usage());
    err.flush();
    return ExitCode.USAGE;
  }

  static String usage() {
    StringBuilder text = new StringBuilder(
        "usage: java -jar temporal-rbac-proxy.jar COMMAND [OPTIONS]\n\ncommands:\n");
    for (Command command : COMMANDS) {
      text.append(String.format("  %-9s %s%n", command.name(), command.summary()));
    }
    text.append("\n'COMMAND --help' describes a command's options.\n")
        .append("exit codes: 0 ok (explain: allowed), 1 policy rejected or unreadable,\n")
        .append("            2 usage error, 3 explain: denied\n");
    return text.toString();
  }
}
