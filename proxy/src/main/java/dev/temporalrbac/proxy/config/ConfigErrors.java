package dev.temporalrbac.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Puts the configuration's errors in the order a reader fixes the file in. Each error is about
 * the setting it names first; when that setting's value came from the file, the error gets the
 * file and line ({@code proxy.yaml:12: ...}) and the errors are sorted by line, after those that
 * concern no line of the file (flags, missing settings). An error that names a setting whose own
 * value was rejected ("tls.client_ca is set but tls.client_auth is none" after "tls.client_auth:
 * expected none, optional or require") only follows from that error and is dropped, unless it
 * is about a setting the file leaves unset ("identity.jwt.issuer is required with
 * identity.jwt.jwks" stays beside a rejected JWKS URL): when in doubt, an error is kept.
 *
 * <p>Errors are the loaders' sentences; a setting is "named" when its dotted key appears in one
 * as a whole word, and an error is "about" the setting it starts with.
 */
final class ConfigErrors {
  private ConfigErrors() {}

  /** Line of each setting with a value in {@code yaml} (dotted key to 1-based line). */
  static Map<String, Integer> lines(String yaml) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    Node root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(yaml));
    collect("", root, lines);
    return lines;
  }

  private static void collect(String prefix, Node node, Map<String, Integer> lines) {
    if (!(node instanceof MappingNode mapping)) {
      return;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        continue;
      }
      String path = prefix.isEmpty() ? key.getValue() : prefix + "." + key.getValue();
      if (tuple.getValueNode() instanceof MappingNode) {
        collect(path, tuple.getValueNode(), lines);
      } else {
        lines.putIfAbsent(path, key.getStartMark().getLine() + 1);
      }
    }
  }

  /**
   * The errors to report: follow-ons dropped, those located in {@code file} (by {@code lines}, the
   * settings whose values came from it) prefixed with {@code file:line} and sorted by line.
   */
  static List<String> report(List<String> errors, Path file, Map<String, Integer> lines,
      Iterable<String> settings) {
    List<Pattern> names = new ArrayList<>();
    settings.forEach(key -> names.add(word(key)));
    lines.keySet().forEach(key -> names.add(word(key)));
    List<String> rejected = new ArrayList<>();
    for (String error : errors) {
      String subject = subject(strip(error, file), names);
      if (subject != null) {
        rejected.add(subject);
      }
    }
    List<Located> kept = new ArrayList<>();
    for (String error : errors) {
      String text = strip(error, file);
      String subject = subject(text, names);
      boolean ofTheFile = !text.equals(error); // its shape (unknown keys, lists): never a follow-on
      // an error about a setting the file does not set ("issuer is required with jwks") is
      // true whatever the other setting's value: kept, never taken for a follow-on
      boolean aboutASetValue = subject == null || lines.containsKey(subject);
      if (!ofTheFile && aboutASetValue && rejected.stream()
          .anyMatch(key -> !key.equals(subject) && word(key).matcher(text).find())) {
        continue; // names a setting whose value was rejected: a consequence of that error
      }
      Integer line = firstNamed(text, lines);
      kept.add(line == null ? new Located(0, error) : new Located(line, file + ":" + line + ": " + text));
    }
    kept.sort(Comparator.comparingInt(Located::line)); // stable: one line keeps its order
    return kept.stream().map(Located::text).toList();
  }

  private record Located(int line, String text) {}

  private static String strip(String error, Path file) {
    String prefix = file == null ? null : file + ": ";
    return prefix != null && error.startsWith(prefix) ? error.substring(prefix.length()) : error;
  }

  /** The setting an error starts with ("audit.level must be ...", "mode: expected ..."). */
  private static String subject(String text, List<Pattern> names) {
    for (Pattern name : names) {
      Matcher m = name.matcher(text);
      if (m.lookingAt()) {
        return m.group();
      }
    }
    return null;
  }

  /** The line of the setting from the file that the error names first, or null. */
  private static Integer firstNamed(String text, Map<String, Integer> lines) {
    int at = Integer.MAX_VALUE;
    Integer line = null;
    for (Map.Entry<String, Integer> entry : lines.entrySet()) {
      Matcher m = word(entry.getKey()).matcher(text);
      if (m.find() && m.start() < at) {
        at = m.start();
        line = entry.getValue();
      }
    }
    return line;
  }

  /** A dotted key as a whole word: not part of a longer key such as upstream.tls.cert. */
  private static Pattern word(String key) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(key) + "(?![\\w.])");
  }
}
