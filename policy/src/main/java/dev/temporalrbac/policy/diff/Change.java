package dev.temporalrbac.policy.diff;

import java.util.List;
import java.util.Objects;

/**
 * One difference for one principal or group between two policy versions. Immutable.
 *
 * @param kind what it is about
 * @param subject the namespace ({@code *} for every namespace), namespace id, key id or group id
 *     it is about; null when the kind has no subject (principal, account, certificate filters,
 *     role)
 * @param attribute for {@link ChangeKind#API_KEY}: which part of the key changed, one of
 *     {@link #STATE}, {@link #SECRET}, {@link #EXPIRY}, {@link #OWNER}; null for other kinds
 * @param from the value before, as text; null when there was none
 * @param to the value after, as text; null when there is none
 * @param text one line a reviewer reads, e.g. {@code namespace payments: write -> read}
 * @param methods for {@link ChangeKind#ACCOUNT}: the account methods that become callable (in a
 *     gain) or stop being callable (in a loss), as {@code Service/Method}, sorted; empty otherwise
 */
public record Change(ChangeKind kind, String subject, String attribute, String from, String to,
    String text, List<String> methods) {
  /** An API key's state: usable, disabled, expired, or absent (added or removed). */
  public static final String STATE = "state";
  /** An API key's secret was replaced; from and to never hold the secret nor its digest. */
  public static final String SECRET = "secret";
  /** An API key's expiry time (null: it never expires). */
  public static final String EXPIRY = "expiry";
  /** An API key moved between owners: from and to are owner ids. */
  public static final String OWNER = "owner";

  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    methods = List.copyOf(methods);
  }

  /** A change without attribute nor methods. */
  public Change(ChangeKind kind, String subject, String from, String to, String text) {
    this(kind, subject, null, from, to, text, List.of());
  }

  /** A change naming the account methods it makes callable or not. */
  public Change(ChangeKind kind, String subject, String from, String to, String text,
      List<String> methods) {
    this(kind, subject, null, from, to, text, methods);
  }

  /** A change to API key {@code keyId}'s {@code attribute}. */
  static Change key(String keyId, String attribute, String from, String to, String text) {
    return new Change(ChangeKind.API_KEY, keyId, attribute, from, to, text, List.of());
  }
}
