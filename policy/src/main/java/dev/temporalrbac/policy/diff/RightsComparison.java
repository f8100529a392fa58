package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares what a principal may do, by its {@link EffectiveRights} in each version (own, groups'
 * and creator grants folded in): the account methods its roles allow ({@link AccountMethods}),
 * and its permission on every namespace and on each namespace either version grants it. A
 * permission going up (none, read, write, admin) is a gain, going down a loss. So moving a grant
 * from a user to a group it is in changes nothing here. Stateless and thread-safe.
 */
final class RightsComparison {
  /** Methods named in a line before "and N more"; the JSON lists them all. */
  private static final int METHODS_SHOWN = 4;

  private final AccountMethods accountMethods;

  RightsComparison(AccountMethods accountMethods) {
    this.accountMethods = accountMethods;
  }

  /** Adds the gains and losses from {@code before} to {@code after} (null: not in the policy). */
  void compare(EffectiveRights before, EffectiveRights after, Findings out) {
    account(before, after, out);
    namespaces(before, after, out);
  }

  private void account(EffectiveRights before, EffectiveRights after, Findings out) {
    SortedSet<String> was = accountMethods.callableBy(before);
    SortedSet<String> is = accountMethods.callableBy(after);
    List<String> gained = minus(is, was);
    List<String> lost = minus(was, is);
    String from = roles(before);
    String to = roles(after);
    String head = "account role " + text(from) + " -> " + text(to);
    if (!gained.isEmpty()) {
      out.gain(new Change(ChangeKind.ACCOUNT, null, from, to,
          head + ": may now call " + shortList(gained), gained));
    }
    if (!lost.isEmpty()) {
      out.loss(new Change(ChangeKind.ACCOUNT, null, from, to,
          head + ": may no longer call " + shortList(lost), lost));
    }
  }

  private static void namespaces(EffectiveRights before, EffectiveRights after, Findings out) {
    NamespacePermission everyBefore = before == null ? null : before.everywhere();
    NamespacePermission everyAfter = after == null ? null : after.everywhere();
    if (everyBefore != everyAfter) {
      record(out, "*", "every namespace", everyBefore, everyAfter);
    }
    SortedSet<String> names = new TreeSet<>();
    if (before != null) {
      names.addAll(before.grants().keySet());
    }
    if (after != null) {
      names.addAll(after.grants().keySet());
    }
    for (String name : names) {
      NamespacePermission was = before == null ? null : before.permissionOn(name);
      NamespacePermission is = after == null ? null : after.permissionOn(name);
      // unchanged, or only the every-namespace change already reported
      if (was != is && !(was == everyBefore && is == everyAfter)) {
        record(out, name, "namespace " + name, was, is);
      }
    }
  }

  private static void record(Findings out, String subject, String label,
      NamespacePermission was, NamespacePermission is) {
    String from = was == null ? null : was.yamlName();
    String to = is == null ? null : is.yamlName();
    Change change = new Change(ChangeKind.NAMESPACE, subject, from, to,
        label + ": " + text(from) + " -> " + text(to));
    if (rank(is) > rank(was)) {
      out.gain(change);
    } else {
      out.loss(change);
    }
  }

  /** None below read: the nesting order of {@link NamespacePermission}. */
  private static int rank(NamespacePermission permission) {
    return permission == null ? -1 : permission.ordinal();
  }

  /**
   * The account roles it holds, e.g. {@code read_only+developer}; {@code namespace_scoped} for a
   * namespace-scoped service account; null when it is not in the policy.
   */
  static String roles(EffectiveRights rights) {
    if (rights == null) {
      return null;
    }
    if (rights.roles().isEmpty()) {
      return "namespace_scoped";
    }
    return rights.roles().stream().map(AccountRole::yamlName).collect(Collectors.joining("+"));
  }

  static String text(String value) {
    return value == null ? "none" : value;
  }

  private static List<String> minus(SortedSet<String> all, SortedSet<String> without) {
    List<String> rest = new ArrayList<>();
    for (String name : all) {
      if (!without.contains(name)) {
        rest.add(name);
      }
    }
    return rest;
  }

  private static String shortList(List<String> methods) {
    if (methods.size() <= METHODS_SHOWN) {
      return String.join(", ", methods);
    }
    return String.join(", ", methods.subList(0, METHODS_SHOWN)) + " and "
        + (methods.size() - METHODS_SHOWN) + " more";
  }
}
