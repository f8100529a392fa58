package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.ApiKey;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Compares the API keys one principal owns, by key id. A key is usable when it is neither disabled
 * nor expired at the comparison's time (PERMISSIONS.md §2: nothing once disabled or expired), so:
 * a key that becomes usable (added, enabled, moved to this owner, no longer expired) is a gain;
 * one that stops being usable (removed, disabled, expired, moved away) is a loss, as is a usable
 * key whose secret is replaced (callers holding the old secret are refused). Anything else about
 * a key (a new or earlier expiry not yet reached, an unusable key added or removed) is a neutral
 * change. Only key ids, owners, states and times are printed: never a secret nor its digest.
 * Stateless.
 */
final class KeyComparison {
  private KeyComparison() {}

  static void compare(String owner, PolicySide before, PolicySide after, Instant now,
      Findings out) {
    SortedSet<String> ids = new TreeSet<>();
    before.keysOf(owner).forEach(key -> ids.add(key.id()));
    after.keysOf(owner).forEach(key -> ids.add(key.id()));
    for (String id : ids) {
      compareOne(owner, id, before.key(id), after.key(id), now, out);
    }
  }

  private static void compareOne(String owner, String id, ApiKey was, ApiKey is, Instant now,
      Findings out) {
    boolean ownedBefore = was != null && was.owner().equals(owner);
    boolean ownedAfter = is != null && is.owner().equals(owner);
    boolean usableBefore = ownedBefore && usable(was, now);
    boolean usableAfter = ownedAfter && usable(is, now);
    String label = "API key " + id;
    if (!ownedAfter) {
      String how = is == null ? "removed" : "moved to " + is.owner();
      Change change = new Change(ChangeKind.API_KEY, id, state(was, now), null, label + " " + how
          + (usableBefore ? "" : " (it was " + state(was, now) + ")"));
      add(out, usableBefore, false, change);
      return;
    }
    if (!ownedBefore) {
      String how = was == null ? "added" : "moved from " + was.owner();
      Change change = new Change(ChangeKind.API_KEY, id, null, state(is, now), label + " " + how
          + (usableAfter ? "" : ", but " + state(is, now)));
      add(out, false, usableAfter, change);
      return;
    }
    if (usableBefore != usableAfter) {
      add(out, usableBefore, usableAfter, new Change(ChangeKind.API_KEY, id, state(was, now),
          state(is, now), label + " " + state(was, now) + " -> " + state(is, now)));
    } else if (was.disabled() != is.disabled()) {
      out.change(new Change(ChangeKind.API_KEY, id, state(was, now), state(is, now),
          label + " " + (is.disabled() ? "disabled" : "enabled") + " (it is "
              + state(is, now) + ")"));
    }
    if (!was.sha256().equals(is.sha256())) {
      Change rekeyed = new Change(ChangeKind.API_KEY, id, "secret", "another secret", label
          + ": secret replaced" + (usableBefore ? " (callers with the old secret are refused)"
          : ""));
      add(out, usableBefore && usableAfter, false, rekeyed);
    }
    if (!Objects.equals(was.expires(), is.expires())
        && was.isExpiredAt(now) == is.isExpiredAt(now)) {
      out.change(new Change(ChangeKind.API_KEY, id, expiry(was.expires()), expiry(is.expires()),
          label + " " + expiryChange(was.expires(), is.expires())));
    }
  }

  /** A loss when usable before and not after, a gain for the reverse, else a neutral change. */
  private static void add(Findings out, boolean usableBefore, boolean usableAfter, Change change) {
    if (usableBefore && !usableAfter) {
      out.loss(change);
    } else if (usableAfter && !usableBefore) {
      out.gain(change);
    } else {
      out.change(change);
    }
  }

  private static boolean usable(ApiKey key, Instant now) {
    return !key.disabled() && !key.isExpiredAt(now);
  }

  /** {@code usable}, {@code disabled}, {@code expired at T}, or both of the last two. */
  private static String state(ApiKey key, Instant now) {
    boolean expired = key.isExpiredAt(now);
    if (key.disabled()) {
      return expired ? "disabled and expired at " + key.expires() : "disabled";
    }
    return expired ? "expired at " + key.expires() : "usable";
  }

  private static String expiry(Instant expires) {
    return expires == null ? null : expires.toString();
  }

  private static String expiryChange(Instant was, Instant is) {
    if (is == null) {
      return "no longer expires (it was set to expire at " + was + ")";
    }
    if (was == null) {
      return "now expires at " + is + " (it had no expiry)";
    }
    return "expires " + (is.isBefore(was) ? "earlier" : "later") + ": at " + is + " (was " + was
        + ")";
  }
}
