package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.proxy.config.ConfigLoader;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The settings of {@code proxy.yaml} as flags ({@code --listen}, {@code --jwks}, …), declared
 * from {@link ConfigLoader#FLAGS} rather than one annotated field each, so a new setting is a
 * flag of {@code serve} (and, for identity settings, of {@code explain}) without touching the
 * commands. Values stay strings: {@link ConfigLoader} checks them with the file's values, so a bad
 * value is reported the same way whichever way it came. Stateless.
 */
final class SettingFlags {
  private SettingFlags() {}

  /** Adds one option per flag name (without {@code --}) to {@code spec}. */
  static void declare(CommandSpec spec, Collection<String> flags) {
    for (String flag : flags) {
      spec.addOption(OptionSpec.builder("--" + flag)
          .type(String.class)
          .paramLabel("VALUE")
          .description(ConfigLoader.FLAGS.get(flag))
          .build());
    }
  }

  /** Flag name (without {@code --}) to value, for the flags of {@code flags} that were given. */
  static Map<String, String> given(CommandSpec spec, Collection<String> flags) {
    ParseResult parsed = spec.commandLine().getParseResult();
    Map<String, String> values = new LinkedHashMap<>();
    for (String flag : flags) {
      if (parsed.hasMatchedOption("--" + flag)) {
        values.put(flag, parsed.matchedOptionValue("--" + flag, ""));
      }
    }
    return values;
  }
}
