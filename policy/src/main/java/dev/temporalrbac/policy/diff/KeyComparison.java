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
 * key whose secret is replaced (callers holding the old secret are refused). A usable key's
 * expiry is compared with no expiry as the latest of all: an expiry added or moved earlier is a
 * loss even when it is still ahead (the key will stop working sooner), one moved later or removed
 * a gain. Changes to a key unusable in both versions (its expiry, its secret, disabled once
 * expired) take nothing usable away and are neutral. Each change names the attribute it is about
 * ({@link Change#STATE}, {@link Change#SECRET}, {@link Change#EXPIRY}, {@link Change#OWNER}).
 * Only key ids, owners, states and times are printed: never a secret nor its digest. Stateless.
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
      String suffix = usableBefore ? "" : " (it was " + state(was, now) + ")";
      Change change = is == null
          ? Change.key(id, Change.STATE, state(was, now), null, label + " removed" + suffix)
          : Change.key(id, Change.OWNER, owner, is.owner(), label + " moved to " + is.owner()
              + suffix);
      add(out, usableBefore, false, change);
      return;
    }
    if (!ownedBefore) {
      String suffix = usableAfter ? "" : ", but " + state(is, now);
      Change change = was == null
          ? Change.key(id, Change.STATE, null, state(is, now), label + " added" + suffix)
          : Change.key(id, Change.OWNER, was.owner(), owner, label + " moved from "
              + was.owner() + suffix);
      add(out, false, usableAfter, change);
      return;
    }
    if (usableBefore != usableAfter) {
      add(out, usableBefore, usableAfter, Change.key(id, Change.STATE, state(was, now),
          state(is, now), label + " " + state(was, now) + " -> " + state(is, now)));
    } else if (was.disabled() != is.disabled()) {
      out.change(Change.key(id, Change.STATE, state(was, now), state(is, now),
          label + " " + (is.disabled() ? "disabled" : "enabled") + " (it is "
              + state(is, now) + ")"));
    }
    if (!was.sha256().equals(is.sha256())) {
      Change rekeyed = Change.key(id, Change.SECRET, null, "replaced", label
          + ": secret replaced" + (usableBefore ? " (callers with the old secret are refused)"
          : ""));
      add(out, usableBefore && usableAfter, false, rekeyed);
    }
    if (!Objects.equals(was.expires(), is.expires())
        && was.isExpiredAt(now) == is.isExpiredAt(now)) {
      Change moved = Change.key(id, Change.EXPIRY, expiry(was.expires()), expiry(is.expires()),
          label + " " + expiryChange(was.expires(), is.expires()));
      boolean sooner = endsSooner(was.expires(), is.expires());
      // both usable: a sooner end takes time away; otherwise neither version lets it be used
      add(out, usableBefore && usableAfter && sooner, usableBefore && usableAfter && !sooner,
          moved);
    }
  }

  /** True when {@code is} ends the key's life before {@code was}; null is never. */
  private static boolean endsSooner(Instant was, Instant is) {
    if (is == null) {
      return false;
    }
    return was == null || is.isBefore(was);
  }

  /** A loss when {@code lost} and not {@code gained}, a gain for the reverse, else neutral. */
  private static void add(Findings out, boolean lost, boolean gained, Change change) {
    if (lost && !gained) {
      out.loss(change);
    } else if (gained && !lost) {
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
