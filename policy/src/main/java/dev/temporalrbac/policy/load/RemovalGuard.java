package dev.temporalrbac.policy.load;

import dev.temporalrbac.policy.model.ApiKey;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Refuses a policy version that would remove more than half of the principals (users and service
 * accounts) or more than half of the API keys in force, unless the version says so itself with a
 * matching {@code confirm_removal} (see {@link RemovalConfirmation}).
 *
 * <p>Why: a file cut short (a non-atomic write caught half-way, a truncated copy) is often valid
 * YAML and a valid policy, just an emptier one: a file cut right after {@code api_keys:} loads
 * and locks every caller out. Such a mass removal is almost never intended, so it must be stated.
 *
 * <p>Removal is counted by id: a principal or key of the policy in force whose id the candidate
 * no longer has. A key whose secret is rotated under the same id is not removed. Exactly half is
 * still allowed; one more is not. Pure and thread-safe.
 */
public final class RemovalGuard {
  private RemovalGuard() {}

  /** The removal from {@code inForce} to {@code candidate}, and whether it is allowed. */
  public static Verdict check(PolicySnapshot inForce, PolicySnapshot candidate) {
    Objects.requireNonNull(inForce, "inForce");
    List<String> principals = new ArrayList<>();
    for (Principal principal : inForce.principals()) {
      if (candidate.principal(principal.id()) == null) {
        principals.add(principal.id());
      }
    }
    List<String> keys = new ArrayList<>();
    for (ApiKey key : inForce.apiKeys()) {
      if (candidate.keyById(key.id()) == null) {
        keys.add(key.id());
      }
    }
    return new Verdict(inForce.principals().size(), List.copyOf(principals),
        inForce.apiKeys().size(), List.copyOf(keys), candidate.principals().size(),
        candidate.apiKeys().size(), candidate.confirmsRemoval());
  }

  /** True when {@code removed} is more than half of {@code inForce}. */
  static boolean moreThanHalf(int removed, int inForce) {
    return 2L * removed > inForce;
  }

  /**
   * What a candidate version removes from the version in force.
   *
   * @param principalsInForce principals (users and service accounts) of the version in force
   * @param principalsRemoved ids of those the candidate no longer has
   * @param keysInForce API keys of the version in force
   * @param keysRemoved ids of those the candidate no longer has
   * @param principalsKept principals of the candidate (what {@code confirm_removal} must state)
   * @param keysKept API keys of the candidate
   * @param confirmed the candidate carries a {@code confirm_removal} matching its own counts
   */
  public record Verdict(int principalsInForce, List<String> principalsRemoved, int keysInForce,
      List<String> keysRemoved, int principalsKept, int keysKept, boolean confirmed) {

    /** More than half of the principals or of the API keys in force would go. */
    public boolean large() {
      return moreThanHalf(principalsRemoved.size(), principalsInForce)
          || moreThanHalf(keysRemoved.size(), keysInForce);
    }

    /** The proxy refuses the candidate: a large removal the file does not confirm. */
    public boolean rejected() {
      return large() && !confirmed;
    }

    /** The numbers removed, e.g. "removes 9 of 12 principals and 8 of 8 API keys". */
    private String removal() {
      return "removes " + principalsRemoved.size() + " of " + principalsInForce
          + " principals and " + keysRemoved.size() + " of " + keysInForce + " API keys";
    }

    /** One line for logs, reload status and {@code check}: the verdict and what to do. */
    public String message() {
      if (!large()) {
        return "this version " + removal() + " in force: allowed (at most half of either)";
      }
      if (confirmed) {
        return "this version " + removal() + " in force: more than half, allowed because the"
            + " file confirms it (confirm_removal: {principals: " + principalsKept
            + ", api_keys: " + keysKept + "})";
      }
      return "this version " + removal() + " in force; more than half of either is refused as a"
          + " likely truncated or half-written file. If the removal is intended, add to the file"
          + " the top-level key 'confirm_removal: {principals: " + principalsKept + ", api_keys: "
          + keysKept + "}' (the counts this version keeps)";
    }
  }
}
