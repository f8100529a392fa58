package dev.temporalrbac.proxy.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command, parsed without a CLI framework (the jar stays small and the
 * grammar is tiny): {@code --name value}, {@code --name=value} and bare {@code --flag}. Every
 * option must be declared; anything else is a {@link UsageException}. Values are never echoed in
 * error messages, since one of them may be an API key secret.
 */
public final class Args {
  private final Map<String, String> values;

  private Args(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code argv}.
   *
   * @param valueOptions names (without {@code --}) of options that take a value
   * @param flagOptions names of options that take none; {@code help} is always accepted
   */
  public static Args parse(String[] argv, Set<String> valueOptions, Set<String> flagOptions)
      throws UsageException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument #" + (i + 1)
            + " (options start with --, and this command takes no positional arguments)");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      String value;
      if (valueOptions.contains(name)) {
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          value = argv[++i];
        } else {
          throw new UsageException("--" + name + " needs a value");
        }
      } else if (flagOptions.contains(name) || name.equals("help")) {
        if (eq >= 0) {
          throw new UsageException("--" + name + " takes no value");
        }
        value = "";
      } else {
        throw new UsageException("unknown option --" + name);
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return new Args(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, or null when it was not given. */
  public String get(String name) {
    return values.get(name);
  }

  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The option's value; a usage error when it is missing or empty. */
  public String require(String name) throws UsageException {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  public boolean helpRequested() {
    return values.containsKey("help");
  }

  /** True when no option other than those named was given. */
  public boolean onlyHas(Set<String> names) {
    return names.containsAll(values.keySet());
  }
}
