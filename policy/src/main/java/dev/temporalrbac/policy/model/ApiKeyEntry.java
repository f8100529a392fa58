package dev.temporalrbac.policy.model;

/**
 * An API key of one {@link PolicySnapshot}, as {@link PolicySnapshot#findKey} finds it by digest,
 * with its owner's rights remembered after the first look-up. One per key, built with the
 * snapshot, so finding a key and its owner's rights allocates nothing.
 *
 * <p>The memo is written without a lock: {@link EffectiveRights} is immutable with final fields,
 * so a racing reader sees either null (and looks the rights up itself) or a whole object. A memo
 * read counts as a hit of the snapshot's rights cache ({@link PolicySnapshot#rightsCacheStats}),
 * so the exported statistics count every look-up. Thread-safe.
 */
public final class ApiKeyEntry {
  private final ApiKey key;
  private final PolicySnapshot snapshot;
  private EffectiveRights ownerRights;

  ApiKeyEntry(ApiKey key, PolicySnapshot snapshot) {
    this.key = key;
    this.snapshot = snapshot;
  }

  public ApiKey key() {
    return key;
  }

  /**
   * The rights of the key's owner under the snapshot that found this key, or null when the owner
   * is not in the policy (not remembered, so each such call is a counted miss).
   */
  public EffectiveRights ownerRights() {
    EffectiveRights rights = ownerRights;
    if (rights != null) {
      snapshot.countMemoHit();
      return rights;
    }
    rights = snapshot.rightsOf(key.owner());
    ownerRights = rights;
    return rights;
  }
}
