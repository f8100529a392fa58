package dev.temporalrbac.proxy.policy;

import java.time.Instant;

/**
 * Outcome counts of policy reloads so far, and the last rejection.
 *
 * @param lastError the error of the last attempt if it was rejected, else empty
 * @param lastAttempt when a changed file was last read, or null if never
 */
public record ReloadStatus(long succeeded, long failed, String lastError, Instant lastAttempt) {}
