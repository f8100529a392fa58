package dev.temporalrbac.policy.load;

import java.util.Comparator;

/**
 * One problem in a policy document, located well enough to fix it.
 *
 * @param source the file (or other source name)
 * @param line 1-based line, or 0 when the problem is the document as a whole
 * @param column 1-based column on that line, or 0 when unknown; orders errors on one line
 * @param field dotted path of the field, e.g. {@code users[2].role}
 * @param message what is wrong and what is expected
 */
public record PolicyError(String source, int line, int column, String field, String message) {
  /**
   * The order a reader fixes a file in: by source, then line, then column; problems of the
   * document as a whole (line 0) come first.
   */
  public static final Comparator<PolicyError> FILE_ORDER = Comparator
      .comparing(PolicyError::source)
      .thenComparingInt(PolicyError::line)
      .thenComparingInt(PolicyError::column);

  /** A problem without a column: of the document as a whole, or of a file that was not parsed. */
  public PolicyError(String source, int line, String field, String message) {
    this(source, line, 0, field, message);
  }

  @Override
  public String toString() {
    return source + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ")
        + message;
  }
}
