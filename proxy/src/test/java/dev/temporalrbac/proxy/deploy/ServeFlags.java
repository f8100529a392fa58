package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.proxy.cli.ServeCommand;
import dev.temporalrbac.proxy.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Whether a manifest's command line is one {@code serve} accepts: every option is either one of
 * the command's own ({@code --config}, {@code --help}, read from the real {@link ServeCommand}) or
 * a setting's flag ({@link ConfigLoader#FLAGS}). Stateless.
 */
final class ServeFlags {
  private ServeFlags() {}

  /** Every option {@code serve} accepts, with its dashes. */
  static Set<String> known() {
    Set<String> known = new TreeSet<>(
        new CommandLine(new ServeCommand()).getCommandSpec().optionsMap().keySet());
    ConfigLoader.FLAGS.keySet().forEach(flag -> known.add("--" + flag));
    return known;
  }

  /**
   * What is wrong with {@code commandLine} (what follows {@code -jar temporal-rbac-proxy.jar}),
   * each problem naming {@code where} (the manifest file and container) and the option.
   */
  static List<String> problems(String where, List<String> commandLine) {
    List<String> problems = new ArrayList<>();
    if (commandLine.isEmpty() || !commandLine.get(0).equals("serve")) {
      problems.add(where + ": the proxy's command is not `serve` but " + commandLine);
      return problems;
    }
    Set<String> known = known();
    List<String> rest = commandLine.subList(1, commandLine.size());
    for (int i = 0; i < rest.size(); i++) {
      String token = rest.get(i);
      if (!token.startsWith("-")) {
        problems.add(where + ": serve takes no argument '" + token + "' (only --OPTION VALUE)");
        continue;
      }
      String flag = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
      if (!known.contains(flag)) {
        problems.add(where + ": serve has no option " + flag
            + " (ConfigLoader.FLAGS and serve's own options: " + known + ")");
      }
      if (!token.contains("=") && i + 1 < rest.size() && !rest.get(i + 1).startsWith("-")) {
        i++; // its value
      }
    }
    return problems;
  }
}
