package dev.temporalrbac.policy.model;

/**
 * What a snapshot's rights cache has done since the snapshot was built: a copy, so a reader sees
 * numbers, never the cache. {@code hits + misses} is every rights look-up, whether it was
 * answered by the cache or by an API key's remembered owner rights ({@link ApiKeyEntry}).
 *
 * @param hits look-ups answered without computing rights
 * @param misses look-ups that computed rights, or found no such principal
 * @param evictions entries dropped (none: the policy's own size bounds the cache)
 * @param size entries held now (an estimate while other threads add to it)
 */
public record CacheStatistics(long hits, long misses, long evictions, long size) {}
