package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.model.ClaimedRights;

/**
 * What a token's signature and static claims checks established, cached by token text so a
 * repeated token skips parsing and signature verification. Still checked on every use: the time
 * window against the clock, and that {@code key} is still the key in force for its id.
 *
 * @param key the key the signature was verified with (compared by reference)
 * @param notAfter {@code exp} in epoch milliseconds
 * @param notBefore {@code nbf} in epoch milliseconds; {@link Long#MIN_VALUE} when absent
 * @param claims the subject and the rights its claims carry
 */
record VerifiedToken(SigningKey key, long notAfter, long notBefore, ClaimedRights claims) {}
