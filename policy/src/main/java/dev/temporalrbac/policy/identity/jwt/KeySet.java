package dev.temporalrbac.policy.identity.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One loaded JWKS as the verifier reads it: signing keys by key id. Immutable; {@link JwksKeys}
 * swaps a whole new set in on each successful fetch.
 *
 * @param byKid the usable keys by id (the first key wins when a set repeats an id)
 * @param loadedAt when the set was fetched; {@link Instant#EPOCH} for the empty set
 */
record KeySet(Map<String, SigningKey> byKid, Instant loadedAt) {
  static final KeySet EMPTY = new KeySet(Map.of(), Instant.EPOCH);

  /**
   * The usable keys of {@code set}. A key equal to one of {@code previous} keeps the previous
   * instance, so tokens verified with it stay valid in the verified-token cache across refreshes
   * that did not change it.
   */
  static KeySet of(JWKSet set, KeySet previous, Instant loadedAt) {
    Map<String, SigningKey> keys = new LinkedHashMap<>();
    for (JWK jwk : set.getKeys()) {
      SigningKey key = SigningKey.of(jwk);
      if (key == null || keys.containsKey(key.kid())) {
        continue;
      }
      SigningKey old = previous.byKid.get(key.kid());
      keys.put(key.kid(), old != null && old.jwk().equals(key.jwk()) ? old : key);
    }
    return new KeySet(Collections.unmodifiableMap(keys), loadedAt);
  }

  SigningKey get(String kid) {
    return byKid.get(kid);
  }

  boolean isEmpty() {
    return byKid.isEmpty();
  }
}
