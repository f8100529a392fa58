package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.EffectiveRights;

/** An authenticated caller: its rights and, when it used one, its API key id. */
record Identity(EffectiveRights rights, String keyId) {
  String principalId() {
    return rights.principal().id();
  }
}
