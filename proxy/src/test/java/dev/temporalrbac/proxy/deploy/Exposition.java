package dev.temporalrbac.proxy.deploy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names in a Prometheus text exposition (format 0.0.4, as {@code /metrics} serves it): each
 * sample name with the labels its samples carry and their values, and each family named by a
 * {@code # TYPE} line. A histogram {@code x} is the family {@code x} with samples {@code
 * x_bucket}, {@code x_count} and {@code x_sum}; a query may name either.
 *
 * @param samples sample name to label name to the values seen
 */
record Exposition(Map<String, Map<String, Set<String>>> samples, Set<String> families) {
  private static final Pattern SAMPLE = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)(\\{.*})?\\s+\\S+.*");
  private static final Pattern LABEL =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern ESCAPE = Pattern.compile("\\\\(.)");
  private static final Pattern TYPE = Pattern.compile("# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) \\w+");
  /** The sample itself, then a histogram family's samples. */
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("", "_bucket", "_count", "_sum");

  /** Reads {@code text}; throws on a line that is neither a comment nor a sample. */
  static Exposition parse(String text) {
    Map<String, Map<String, Set<String>>> samples = new TreeMap<>();
    Set<String> families = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        families.add(type.group(1));
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, Set<String>> labels =
          samples.computeIfAbsent(sample.group(1), name -> new LinkedHashMap<>());
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          String value = ESCAPE.matcher(label.group(2))
              .replaceAll(escape -> escape.group(1).equals("n") ? "\n" : "$1");
          labels.computeIfAbsent(label.group(1), name -> new TreeSet<>()).add(value);
        }
      }
    }
    return new Exposition(samples, families);
  }

  /** Whether {@code name} is a sample name or a family here. */
  boolean has(String name) {
    return samples.containsKey(name) || families.contains(name);
  }

  /** The label names of {@code name}'s samples (a family's: those of its histogram samples). */
  Set<String> labelsOf(String name) {
    return valuesOf(name).keySet();
  }

  /**
   * Label name to the values {@code name}'s samples carry (a family's: its histogram samples').
   */
  Map<String, Set<String>> valuesOf(String name) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (String suffix : HISTOGRAM_SUFFIXES) {
      samples.getOrDefault(name + suffix, Map.of()).forEach((label, seen) ->
          values.computeIfAbsent(label, l -> new TreeSet<>()).addAll(seen));
    }
    return values;
  }
}
