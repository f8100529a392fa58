package dev.temporalrbac.policy.load;

/**
 * One problem in a policy document, located well enough to fix it.
 *
 * @param source the file (or other source name)
 * @param line 1-based line, or 0 when the problem is the document as a whole
 * @param field dotted path of the field, e.g. {@code users[2].role}
 * @param message what is wrong and what is expected
 */
public record PolicyError(String source, int line, String field, String message) {
  @Override
  public String toString() {
    return source + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ")
        + message;
  }
}
