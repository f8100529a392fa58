package dev.temporalrbac.proxy.deploy;

/**
 * One label matcher of a PromQL selector, {@code metric{label op "value"}}.
 *
 * @param op {@code =}, {@code !=}, {@code =~} or {@code !~}
 * @param value the string literal's content, unquoted and unescaped (a regular expression for
 *     {@code =~} and {@code !~})
 */
record LabelMatch(String metric, String label, String op, String value) {
  /** True for {@code =~} and {@code !~}. */
  boolean regex() {
    return op.endsWith("~");
  }

  @Override
  public String toString() {
    return metric + "{" + label + op + "\"" + value + "\"}";
  }
}
