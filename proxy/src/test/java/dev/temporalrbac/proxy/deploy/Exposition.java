package dev.temporalrbac.proxy.deploy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names in a Prometheus text exposition (format 0.0.4, as {@code /metrics} serves it): each
 * sample name with the label names its samples carry, and each family named by a {@code # TYPE}
 * line. A histogram {@code x} is the family {@code x} with samples {@code x_bucket}, {@code
 * x_count} and {@code x_sum}; a query may name either.
 */
record Exposition(Map<String, Set<String>> sampleLabels, Set<String> families) {
  private static final Pattern SAMPLE = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)(\\{.*})?\\s+\\S+.*");
  private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern TYPE = Pattern.compile("# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) \\w+");
  private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_count", "_sum");

  /** Reads {@code text}; throws on a line that is neither a comment nor a sample. */
  static Exposition parse(String text) {
    Map<String, Set<String>> samples = new TreeMap<>();
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
      Set<String> labels = samples.computeIfAbsent(sample.group(1), name -> new LinkedHashSet<>());
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return new Exposition(samples, families);
  }

  /** Whether {@code name} is a sample name or a family here. */
  boolean has(String name) {
    return sampleLabels.containsKey(name) || families.contains(name);
  }

  /** The label names of {@code name}'s samples (a family's: those of its histogram samples). */
  Set<String> labelsOf(String name) {
    Set<String> labels = new LinkedHashSet<>(sampleLabels.getOrDefault(name, Set.of()));
    for (String suffix : HISTOGRAM_SUFFIXES) {
      labels.addAll(sampleLabels.getOrDefault(name + suffix, Set.of()));
    }
    return labels;
  }
}
