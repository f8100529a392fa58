package dev.temporalrbac.policy.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.temporalrbac.policy.wire.NamespaceNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One loaded policy: immutable, identified by {@link #version()} (a content hash). A reload builds
 * a new snapshot and swaps one reference, so a call decided under this snapshot sees it whole.
 *
 * <p>Effective rights are computed on first use and held in a Caffeine cache owned by the
 * snapshot, so the cache key is in effect (snapshot version, principal) and a reload can never
 * serve rights from an older policy. Only hits are stored (an unknown id loads nothing), so the
 * cache is bounded by the policy itself and needs no eviction: no per-read LRU upkeep on the hot
 * path. Callers see its {@link #rightsCacheStats statistics}, never the cache.
 *
 * <p>API keys are found by the raw bytes of their SHA-256 ({@link #findKey}); each
 * {@link ApiKeyEntry} remembers its owner's rights after the first call, so a repeat caller goes
 * from digest to rights in array reads instead of a cache look-up: JMH
 * {@code DecisionBenchmark.keyOwnerRights} measured about half the time of the Caffeine look-up
 * at 10 principals and a fifth at 100 000. Those memo reads are counted as cache hits, so the
 * statistics stay honest. Namespace names are held once per snapshot (one {@code String} per
 * name), so grant lookups compare references. Thread-safe.
 */
public final class PolicySnapshot {
  /**
   * How much computed token rights one snapshot keeps, in claim entries: each distinct claims
   * weighs one plus its groups and namespace grants, so a few tokens with long permission lists
   * cannot hold as much memory as many short ones.
   */
  private static final long MAX_CLAIMED_RIGHTS_WEIGHT = 200_000;

  private final String version;
  private final String source;
  private final Instant loadedAt;
  private final boolean confirmsRemoval;
  private final Map<String, Principal> principals;
  private final Map<String, Group> groups;
  private final KeyTable keyTable;
  /** Rights look-ups answered by an {@link ApiKeyEntry}'s memo instead of {@link #rights}. */
  private final LongAdder memoHits = new LongAdder();
  private final Map<String, ApiKey> keysById;
  private final Map<String, NamespaceInfo> namespacesByName;
  private final Map<String, String> namespaceNameById;
  private final Map<String, List<String>> createdBy;
  private final NamespaceNames namespaceNames;
  private final LoadingCache<String, EffectiveRights> rights;
  /** Rights of verified tokens, by what they claim; bounded, since claims come from callers. */
  private final Cache<ClaimKey, EffectiveRights> claimedRights =
      Caffeine.newBuilder().maximumWeight(MAX_CLAIMED_RIGHTS_WEIGHT)
          .<ClaimKey, EffectiveRights>weigher((key, rights) -> 1 + key.claims().groups().size()
              + key.claims().namespaces().size())
          .build();

  private PolicySnapshot(Builder builder) {
    this.version = builder.version;
    this.source = builder.source;
    this.loadedAt = builder.loadedAt;
    this.confirmsRemoval = builder.confirmsRemoval;
    this.principals = Collections.unmodifiableMap(new LinkedHashMap<>(builder.principals));
    this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(builder.groups));
    Map<String, ApiKey> byId = new LinkedHashMap<>();
    List<ApiKeyEntry> keyEntries = new ArrayList<>(builder.keys.size());
    for (ApiKey key : builder.keys) {
      byId.put(key.id(), key);
      keyEntries.add(new ApiKeyEntry(key, this)); // used only once this constructor has returned
    }
    this.keyTable = new KeyTable(keyEntries);
    this.keysById = Collections.unmodifiableMap(byId);
    Map<String, NamespaceInfo> byName = new LinkedHashMap<>();
    Map<String, String> nameById = new HashMap<>();
    Map<String, List<String>> creators = new HashMap<>();
    for (NamespaceInfo info : builder.namespaces) {
      byName.put(info.name(), info);
      if (info.id() != null) {
        nameById.put(info.id(), info.name());
      }
      if (info.createdBy() != null && info.creatorAdmin()) {
        creators.computeIfAbsent(info.createdBy(), id -> new ArrayList<>()).add(info.name());
      }
    }
    this.namespacesByName = Collections.unmodifiableMap(byName);
    this.namespaceNameById = Collections.unmodifiableMap(nameById);
    this.createdBy = creators;
    this.namespaceNames = NamespaceNames.of(allNamespaceNames());
    // A miss loads null, which Caffeine does not store: unknown ids cannot fill the cache.
    this.rights = Caffeine.newBuilder().recordStats().build(this::computeRights);
  }

  public static Builder builder() {
    return new Builder();
  }

  private EffectiveRights computeRights(String principalId) {
    Principal principal = principals.get(principalId);
    if (principal == null) {
      return null;
    }
    // Grants keyed by the instances the request reader yields, so lookups compare references.
    return EffectiveRights.compute(principal, groups,
        createdBy.getOrDefault(principalId, List.of()), namespaceNames::canonical);
  }

  /** Content hash of the policy document; changes whenever the document does. */
  public String version() {
    return version;
  }

  /** Where the document came from (a file path), for messages. */
  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /**
   * The document carries a {@code confirm_removal} matching its own counts: it may remove more
   * than half of the principals or API keys in force (see the loader's removal guard).
   */
  public boolean confirmsRemoval() {
    return confirmsRemoval;
  }

  /** The effective rights of a user or service account, or null if the policy has no such id. */
  public EffectiveRights rightsOf(String principalId) {
    return rights.get(principalId);
  }

  /**
   * The rights a verified token's claims carry (PERMISSIONS.md, "Identities"): when its subject
   * names a user or service account, that principal's rights; otherwise a token user holding
   * {@code defaultRole}, or none when {@code defaultRole} is null. In both cases the claims'
   * groups (those the policy defines), namespace grants, everywhere grant and system admin are
   * added. Computed once per distinct claims and default role, in a bounded cache owned by this
   * snapshot.
   *
   * @return the rights, or null when the subject is no principal and {@code defaultRole} is null
   */
  public EffectiveRights rightsOf(ClaimedRights claims, AccountRole defaultRole) {
    Principal principal = principals.get(claims.subject());
    if (principal == null && defaultRole == null) {
      return null;
    }
    return claimedRights.get(new ClaimKey(claims, defaultRole), key -> {
      Principal who = principals.get(claims.subject());
      if (who == null) {
        who = new Principal(claims.subject(), PrincipalType.USER, defaultRole,
            Map.of(), List.of(), null);
      }
      return EffectiveRights.compute(who, groups,
          createdBy.getOrDefault(who.id(), List.of()), namespaceNames::canonical, claims);
    });
  }

  /** A token's claims with the default role they were computed under. */
  private record ClaimKey(ClaimedRights claims, AccountRole defaultRole) {}

  /**
   * The key whose secret's SHA-256 is {@code digest} (32 raw bytes), or null. Allocates nothing;
   * the entry belongs to this snapshot and reads its owner's rights under it.
   */
  public ApiKeyEntry findKey(byte[] digest) {
    return keyTable.find(digest);
  }

  /** Counts a rights look-up an {@link ApiKeyEntry} answered from its memo. */
  void countMemoHit() {
    memoHits.increment();
  }

  /** The key with this id, or null. */
  public ApiKey keyById(String keyId) {
    return keysById.get(keyId);
  }

  public Principal principal(String id) {
    return principals.get(id);
  }

  /** Every namespace name the policy mentions, for reading requests without decoding them. */
  public NamespaceNames namespaceNames() {
    return namespaceNames;
  }

  private java.util.Set<String> allNamespaceNames() {
    java.util.Set<String> all = new java.util.HashSet<>(namespacesByName.keySet());
    for (Principal principal : principals.values()) {
      all.addAll(principal.namespaces().keySet());
      if (principal.scoped() != null) {
        all.add(principal.scoped().namespace());
      }
    }
    for (Group group : groups.values()) {
      all.addAll(group.namespaces().keySet());
    }
    return all;
  }

  /** The name of the namespace with this id, or null when the policy does not map it. */
  public String namespaceNameForId(String namespaceId) {
    return namespaceNameById.get(namespaceId);
  }

  public Collection<Principal> principals() {
    return principals.values();
  }

  public Collection<Group> groups() {
    return groups.values();
  }

  public Collection<ApiKey> apiKeys() {
    return keysById.values();
  }

  public Collection<NamespaceInfo> namespaces() {
    return namespacesByName.values();
  }

  /** Users and service accounts per account role; namespace-scoped accounts are counted apart. */
  public Map<String, Integer> principalsPerRole() {
    Map<AccountRole, Integer> counts = new EnumMap<>(AccountRole.class);
    int scoped = 0;
    for (Principal principal : principals.values()) {
      if (principal.isNamespaceScoped()) {
        scoped++;
      } else {
        counts.merge(principal.role(), 1, Integer::sum);
      }
    }
    Map<String, Integer> labelled = new LinkedHashMap<>();
    for (AccountRole role : AccountRole.values()) {
      labelled.put(role.yamlName(), counts.getOrDefault(role, 0));
    }
    labelled.put("namespace_scoped", scoped);
    return labelled;
  }

  /** What the rights cache has done so far, API keys' remembered owner rights included. */
  public CacheStatistics rightsCacheStats() {
    CacheStats stats = rights.stats();
    return new CacheStatistics(stats.hitCount() + memoHits.sum(), stats.missCount(),
        stats.evictionCount(), rights.estimatedSize());
  }

  /** Collects a validated document; {@link dev.temporalrbac.policy.load.PolicyLoader} is the usual caller. */
  public static final class Builder {
    private String version = "";
    private String source = "";
    private Instant loadedAt = Instant.EPOCH;
    private boolean confirmsRemoval;
    private final Map<String, Principal> principals = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final List<ApiKey> keys = new ArrayList<>();
    private final List<NamespaceInfo> namespaces = new ArrayList<>();

    private Builder() {}

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder loadedAt(Instant loadedAt) {
      this.loadedAt = loadedAt;
      return this;
    }

    /** See {@link PolicySnapshot#confirmsRemoval()}; default false. */
    public Builder confirmsRemoval(boolean confirmsRemoval) {
      this.confirmsRemoval = confirmsRemoval;
      return this;
    }

    public Builder principal(Principal principal) {
      if (principals.putIfAbsent(principal.id(), principal) != null) {
        throw new IllegalArgumentException("duplicate principal " + principal.id());
      }
      return this;
    }

    public Builder group(Group group) {
      if (groups.putIfAbsent(group.id(), group) != null) {
        throw new IllegalArgumentException("duplicate group " + group.id());
      }
      return this;
    }

    public Builder apiKey(ApiKey key) {
      keys.add(key);
      return this;
    }

    public Builder namespace(NamespaceInfo info) {
      namespaces.add(info);
      return this;
    }

    public PolicySnapshot build() {
      return new PolicySnapshot(this);
    }
  }
}
