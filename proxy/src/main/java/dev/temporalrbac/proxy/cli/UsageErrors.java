package dev.temporalrbac.proxy.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a wrong command line as {@code COMMAND: what is wrong}, a suggestion when a command or
 * option name is mistyped, and where the help is; exit {@link ExitCode#USAGE}.
 *
 * <p>Never prints an argument's value: one may be an API key secret or a token, and picocli's own
 * messages quote values (an unknown option is reported with the value after it). Only names the
 * command declares, or that look like an option name, are printed; picocli's other messages are
 * printed with every quoted argument that is not such a name hidden.
 */
final class UsageErrors implements IParameterExceptionHandler {
  /** What an option name looks like; anything else may be a value and is not printed. */
  private static final Pattern OPTION_NAME = Pattern.compile("--?[A-Za-z][A-Za-z0-9-]{0,40}");
  private static final String HIDDEN = "(a value, not shown)";
  private static final int MAX_SUGGESTIONS = 3;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    // an unknown option is reported first: a required option "missing" is usually its typo
    List<String> unmatched = command.getUnmatchedArguments();
    String problem = unmatched.isEmpty()
        ? hideValues(e.getMessage(), args, command) : unmatched(command, unmatched.get(0));
    List<String> suggestions = unmatched.isEmpty() ? List.of() : suggest(command, unmatched);
    PrintWriter err = command.getErr();
    err.println(command.getCommandName() + ": " + problem);
    if (!suggestions.isEmpty()) {
      err.println("did you mean " + String.join(" or ", suggestions) + "?");
    }
    String qualified = command.getParent() == null && command.getSubcommands().isEmpty()
        ? Cli.NAME + " " + command.getCommandName() : command.getCommandSpec().qualifiedName();
    err.println("'" + qualified + " --help' describes "
        + (command.getSubcommands().isEmpty() ? "its options." : "the commands."));
    err.flush();
    return ExitCode.USAGE;
  }

  /**
   * Names close to the first unmatched argument: the nearest by edit distance, else picocli's
   * (which compares letter pairs). Both draw from the command's own names only.
   */
  private static List<String> suggest(CommandLine command, List<String> unmatched) {
    String arg = unmatched.get(0);
    int eq = arg.indexOf('=');
    String typed = eq < 0 ? arg : arg.substring(0, eq);
    Set<String> names = typed.startsWith("-") ? command.getCommandSpec().optionsMap().keySet()
        : command.getSubcommands().keySet();
    List<String> nearest = EditDistance.nearest(typed, names);
    List<String> found = nearest.isEmpty()
        ? new UnmatchedArgumentException(command, unmatched).getSuggestions() : nearest;
    return found.size() > MAX_SUGGESTIONS ? found.subList(0, MAX_SUGGESTIONS) : found;
  }

  /**
   * The unknown argument as it may be shown: its name only when it is a near miss of a declared
   * name (so a value glued to an option, or a secret passed as the first argument, is never
   * printed).
   */
  private static String unmatched(CommandLine command, String arg) {
    if (arg.startsWith("-")) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Set<String> options = command.getCommandSpec().optionsMap().keySet();
      for (String option : options) {
        if (option.startsWith("--") && name.startsWith(option)) {
          return "unknown option " + option + "\u2026 " + HIDDEN + "; a value needs a space or '='"
              + " after " + option;
        }
      }
      return OPTION_NAME.matcher(name).matches() && !EditDistance.nearest(name, options).isEmpty()
          ? "unknown option " + name : "unknown option " + HIDDEN;
    }
    if (!command.getSubcommands().isEmpty()) {
      return OPTION_NAME.matcher("-" + arg).matches()
          && !EditDistance.nearest(arg, command.getSubcommands().keySet()).isEmpty()
          ? "unknown command '" + arg + "'" : "unknown command " + HIDDEN;
    }
    return "unexpected argument " + HIDDEN + ": options start with --, and this command takes"
        + " no other arguments";
  }

  /** {@code message} with every quoted argument that is not a name the command declares hidden. */
  static String hideValues(String message, String[] args, CommandLine command) {
    String shown = message;
    for (String arg : args) {
      if (isName(command, arg)) {
        continue;
      }
      shown = shown.replace("'" + arg + "'", HIDDEN);
      int eq = arg.indexOf('=');
      if (eq > 0) {
        shown = shown.replace("'" + arg.substring(eq + 1) + "'", HIDDEN);
      }
    }
    return shown;
  }

  private static boolean isName(CommandLine command, String arg) {
    for (CommandLine line = command; line != null; line = line.getParent()) {
      if (line.getCommandSpec().optionsMap().containsKey(arg)
          || line.getSubcommands().containsKey(arg)) {
        return true;
      }
    }
    return false;
  }
}
