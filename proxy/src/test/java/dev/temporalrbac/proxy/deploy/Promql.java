package dev.temporalrbac.proxy.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads: the metric (or recorded) names it selects, the label names its
 * selectors match on (and each matcher with its value), and the label names it groups or joins
 * by. Enough of PromQL for the expressions in {@code deploy/}, not a full parser: string literals
 * are set aside first (each replaced by its index), so a label value never reads as a name, and
 * an identifier is a metric name unless it is a keyword, a function (followed by a parenthesis),
 * a Grafana variable ({@code $__rate_interval}), a duration, or inside a selector's braces, a
 * range's brackets or a grouping list.
 */
record Promql(Set<String> names, Map<String, Set<String>> selectorLabels, Set<String> groupLabels,
    List<LabelMatch> matches) {
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  /** An identifier not glued to a preceding identifier, digit, {@code $} or dot. */
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![A-Za-z0-9_:$.])[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![A-Za-z0-9_:$.])([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^}]*)}");
  /** A matcher once literals are set aside: {@code label op "N"}, N the literal's index. */
  private static final Pattern MATCHER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(?:\"(\\d+)\")?");
  private static final Pattern ESCAPE = Pattern.compile("\\\\(.)");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");

  /** Reads {@code expression}; throws on unbalanced braces, brackets or parentheses. */
  static Promql of(String expression) {
    List<String> literals = new ArrayList<>();
    StringBuilder setAside = new StringBuilder();
    Matcher string = STRING.matcher(expression);
    while (string.find()) {
      string.appendReplacement(setAside, "\"" + literals.size() + "\"");
      literals.add(unquote(string.group()));
    }
    String text = string.appendTail(setAside).toString();
    requireBalanced(expression, text);
    Map<String, Set<String>> selectorLabels = new LinkedHashMap<>();
    List<LabelMatch> matches = new ArrayList<>();
    Matcher selector = SELECTOR.matcher(text);
    while (selector.find()) {
      Set<String> labels = selectorLabels.computeIfAbsent(selector.group(1),
          name -> new LinkedHashSet<>());
      Matcher matcher = MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        labels.add(matcher.group(1));
        if (matcher.group(3) != null) {
          matches.add(new LabelMatch(selector.group(1), matcher.group(1), matcher.group(2),
              literals.get(Integer.parseInt(matcher.group(3)))));
        }
      }
    }
    Set<String> groupLabels = new LinkedHashSet<>();
    Matcher grouping = GROUPING.matcher(text);
    while (grouping.find()) {
      for (String label : grouping.group(2).split(",")) {
        if (!label.isBlank()) {
          groupLabels.add(label.strip());
        }
      }
    }
    String outside = GROUPING.matcher(text).replaceAll(" ");
    outside = BRACES.matcher(outside).replaceAll(" ");
    outside = BRACKETS.matcher(outside).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(outside);
    while (identifier.find()) {
      String word = identifier.group();
      if (!KEYWORDS.contains(word.toLowerCase(Locale.ROOT))
          && !calledAsFunction(outside, identifier.end())) {
        names.add(word);
      }
    }
    return new Promql(names, selectorLabels, groupLabels, List.copyOf(matches));
  }

  /** A string literal's content: backquoted raw, otherwise with each escape undone. */
  private static String unquote(String literal) {
    String body = literal.substring(1, literal.length() - 1);
    return literal.startsWith("`") ? body : ESCAPE.matcher(body).replaceAll("$1");
  }

  /** The names without a colon, in the order they first appear: what a target must export. */
  List<String> metricNames() {
    return names.stream().filter(name -> !name.contains(":")).toList();
  }

  /** Names with a colon: by convention recording rules' outputs, never an exported metric. */
  List<String> recordedNames() {
    return names.stream().filter(name -> name.contains(":")).toList();
  }

  private static boolean calledAsFunction(String text, int end) {
    int i = end;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() && text.charAt(i) == '(';
  }

  private static void requireBalanced(String expression, String text) {
    int depth = 0;
    String open = "({[";
    String close = ")}]";
    StringBuilder stack = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (open.indexOf(c) >= 0) {
        stack.append(c);
        depth++;
      } else if (close.indexOf(c) >= 0) {
        if (depth == 0 || open.indexOf(stack.charAt(depth - 1)) != close.indexOf(c)) {
          throw new IllegalArgumentException("unbalanced '" + c + "' in: " + expression);
        }
        stack.setLength(--depth);
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unclosed '" + stack.charAt(depth - 1) + "' in: "
          + expression);
    }
  }
}
