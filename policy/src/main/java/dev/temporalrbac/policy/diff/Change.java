package dev.temporalrbac.policy.diff;

import java.util.List;
import java.util.Objects;

/**
 * One difference for one principal between two policy versions. Immutable.
 *
 * @param kind what it is about
 * @param subject the namespace ({@code *} for every namespace), key id or group id it is about;
 *     null when the kind has no subject (principal, account, certificate filters, role)
 * @param from the value before, as text; null when there was none
 * @param to the value after, as text; null when there is none
 * @param text one line a reviewer reads, e.g. {@code namespace payments: write -> read}
 * @param methods for {@link ChangeKind#ACCOUNT}: the account methods that become callable (in a
 *     gain) or stop being callable (in a loss), as {@code Service/Method}, sorted; empty otherwise
 */
public record Change(ChangeKind kind, String subject, String from, String to, String text,
    List<String> methods) {

  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    methods = List.copyOf(methods);
  }

  /** A change without methods. */
  public Change(ChangeKind kind, String subject, String from, String to, String text) {
    this(kind, subject, from, to, text, List.of());
  }
}
