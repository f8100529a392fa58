package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.Group;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What each user and service account, and each group, gains and loses from one policy version to
 * another, so a policy change can be reviewed by its effect rather than its text. Rights are
 * compared as the proxy enforces them ({@link EffectiveRights}: own, groups' and creator grants
 * folded in), so a grant moved from a user to its group is no gain and no loss; the structure
 * behind a change is listed beside it as neutral changes. What counts as a gain or a loss:
 *
 * <ul>
 *   <li>account: the account methods its roles let it call ({@link AccountMethods}); roles that
 *       are not ordered (Developer and Finance Admin) make one change a gain and a loss;
 *   <li>namespaces: its permission on every namespace and on each granted one, up or down;
 *   <li>namespace ids: what calls naming a namespace only by id may do, when an id's mapping to
 *       a name is added, moved or removed ({@link NamespaceIdComparison});
 *   <li>API keys: usable (not disabled, not expired at {@code now}) or not, secrets replaced,
 *       and a usable key's expiry moved earlier or later ({@link KeyComparison});
 *   <li>certificate filters: which certificates are accepted ({@link CertificateFilterComparison});
 *   <li>a principal added gains everything it holds; one removed loses everything it held.
 * </ul>
 *
 * <p>Each group in either version is also compared as its own subject: what a caller holding
 * that group alone may do ({@link GroupDiff}). Callers join groups through a token's groups
 * claim without any principal listing them, so a group lowered or deleted is a loss even when no
 * principal's entry shows it.
 *
 * <p>Known limits, where a loss can go unreported:
 *
 * <ul>
 *   <li>A namespace-scoped service account whose scope moves to another namespace is reported
 *       for the account itself only: the old namespace's admins, to whom an account scoped to
 *       their namespace answers, are shown no loss, and the new namespace's admins no gain.
 *   <li>Removing a key that is disabled (or expired) at {@code now} is a neutral change, not a
 *       loss: nothing usable is taken, but re-enabling the key is no longer possible by editing
 *       {@code disabled} alone.
 *   <li>Token callers' claimed namespace grants, everywhere grants and system admin claims are
 *       not in the policy and are not compared; nor is a token user's default role.
 * </ul>
 *
 * <p>Immutable and thread-safe; the catalog supplies the account rules.
 */
public final class PolicyComparer {
  private final RightsComparison rights;

  public PolicyComparer(MethodCatalog catalog) {
    this.rights = new RightsComparison(new AccountMethods(Objects.requireNonNull(catalog)));
  }

  /**
   * The differences from {@code before} to {@code after}, with API keys' expiry evaluated at
   * {@code now}; principals and groups ordered by id, only those with a difference.
   */
  public PolicyDiff compare(PolicySnapshot before, PolicySnapshot after, Instant now) {
    PolicySide was = new PolicySide(before);
    PolicySide is = new PolicySide(after);
    NamespaceIdComparison namespaceIds = new NamespaceIdComparison(before, after);
    SortedSet<String> ids = new TreeSet<>();
    before.principals().forEach(principal -> ids.add(principal.id()));
    after.principals().forEach(principal -> ids.add(principal.id()));
    List<PrincipalDiff> diffs = new ArrayList<>();
    for (String id : ids) {
      PrincipalDiff diff = comparePrincipal(id, was, is, namespaceIds, now);
      if (!diff.isEmpty()) {
        diffs.add(diff);
      }
    }
    SortedSet<String> groupIds = new TreeSet<>();
    before.groups().forEach(group -> groupIds.add(group.id()));
    after.groups().forEach(group -> groupIds.add(group.id()));
    List<GroupDiff> groups = new ArrayList<>();
    for (String id : groupIds) {
      Findings out = compareGroup(id, was, is, namespaceIds);
      if (!out.isEmpty()) {
        groups.add(out.toGroupDiff(id, status(was.group(id), is.group(id))));
      }
    }
    return new PolicyDiff(now, diffs, groups);
  }

  private Findings compareGroup(String id, PolicySide before, PolicySide after,
      NamespaceIdComparison namespaceIds) {
    Group was = before.group(id);
    Group is = after.group(id);
    Findings out = new Findings();
    EffectiveRights rightsBefore = before.groupRights(id);
    EffectiveRights rightsAfter = after.groupRights(id);
    rights.compare(rightsBefore, rightsAfter, out);
    namespaceIds.compare(rightsBefore, rightsAfter, out); // matters to an unchanged group too
    if (!Objects.equals(was, is)) {
      out.change(new Change(ChangeKind.GROUP, id, was == null ? null : StructureComparison
          .describe(was), is == null ? null : StructureComparison.describe(is), "group " + id
          + ": " + StructureComparison.describe(was) + " -> " + StructureComparison.describe(is)));
    }
    return out;
  }

  private static PrincipalDiff.Status status(Object before, Object after) {
    if (before == null) {
      return PrincipalDiff.Status.ADDED;
    }
    return after == null ? PrincipalDiff.Status.REMOVED : PrincipalDiff.Status.CHANGED;
  }

  private PrincipalDiff comparePrincipal(String id, PolicySide before, PolicySide after,
      NamespaceIdComparison namespaceIds, Instant now) {
    Principal was = before.principal(id);
    Principal is = after.principal(id);
    EffectiveRights rightsBefore = before.rights(id);
    EffectiveRights rightsAfter = after.rights(id);
    Findings out = new Findings();
    PrincipalDiff.Status status = status(was, is);
    if (was == null) {
      out.gain(new Change(ChangeKind.PRINCIPAL, null, null, is.type().label(),
          is.type().label() + " added, account role " + RightsComparison.roles(rightsAfter)));
    } else if (is == null) {
      out.loss(new Change(ChangeKind.PRINCIPAL, null, was.type().label(), null,
          was.type().label() + " removed, account role " + RightsComparison.roles(rightsBefore)
              + ": everything it held is lost"));
    }
    rights.compare(rightsBefore, rightsAfter, out);
    namespaceIds.compare(rightsBefore, rightsAfter, out);
    if (was != null && is != null) {
      CertificateFilterComparison.compare(was.certificateFilters(), is.certificateFilters(),
          out);
    }
    KeyComparison.compare(id, before, after, now, out);
    if (was != null && is != null) {
      StructureComparison.compare(id, before, after, out);
    }
    String type = (is != null ? is : was).type().label();
    return out.toDiff(id, type, status);
  }
}
