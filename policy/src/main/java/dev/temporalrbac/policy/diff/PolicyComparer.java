package dev.temporalrbac.policy.diff;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What each user and service account gains and loses from one policy version to another, so a
 * policy change can be reviewed by its effect rather than its text. Rights are compared as the
 * proxy enforces them ({@link EffectiveRights}: own, groups' and creator grants folded in), so a
 * grant moved from a user to its group is no gain and no loss; the structure behind a change is
 * listed beside it as neutral changes. What counts as a gain or a loss:
 *
 * <ul>
 *   <li>account: the account methods its roles let it call ({@link AccountMethods}); roles that
 *       are not ordered (Developer and Finance Admin) make one change a gain and a loss;
 *   <li>namespaces: its permission on every namespace and on each granted one, up or down;
 *   <li>API keys: usable (not disabled, not expired at {@code now}) or not, and secrets replaced
 *       ({@link KeyComparison});
 *   <li>certificate filters: which certificates are accepted ({@link CertificateFilterComparison});
 *   <li>a principal added gains everything it holds; one removed loses everything it held.
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
   * {@code now}; principals ordered by id, only those with a difference.
   */
  public PolicyDiff compare(PolicySnapshot before, PolicySnapshot after, Instant now) {
    PolicySide was = new PolicySide(before);
    PolicySide is = new PolicySide(after);
    SortedSet<String> ids = new TreeSet<>();
    before.principals().forEach(principal -> ids.add(principal.id()));
    after.principals().forEach(principal -> ids.add(principal.id()));
    List<PrincipalDiff> diffs = new ArrayList<>();
    for (String id : ids) {
      PrincipalDiff diff = comparePrincipal(id, was, is, now);
      if (!diff.isEmpty()) {
        diffs.add(diff);
      }
    }
    return new PolicyDiff(now, diffs);
  }

  private PrincipalDiff comparePrincipal(String id, PolicySide before, PolicySide after,
      Instant now) {
    Principal was = before.principal(id);
    Principal is = after.principal(id);
    EffectiveRights rightsBefore = before.rights(id);
    EffectiveRights rightsAfter = after.rights(id);
    Findings out = new Findings();
    PrincipalDiff.Status status;
    if (was == null) {
      status = PrincipalDiff.Status.ADDED;
      out.gain(new Change(ChangeKind.PRINCIPAL, null, null, is.type().label(),
          is.type().label() + " added, account role " + RightsComparison.roles(rightsAfter)));
    } else if (is == null) {
      status = PrincipalDiff.Status.REMOVED;
      out.loss(new Change(ChangeKind.PRINCIPAL, null, was.type().label(), null,
          was.type().label() + " removed, account role " + RightsComparison.roles(rightsBefore)
              + ": everything it held is lost"));
    } else {
      status = PrincipalDiff.Status.CHANGED;
    }
    rights.compare(rightsBefore, rightsAfter, out);
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
