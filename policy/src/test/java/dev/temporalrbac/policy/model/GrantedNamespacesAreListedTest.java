package dev.temporalrbac.policy.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.temporalrbac.policy.eval.Fixtures;
import dev.temporalrbac.policy.load.PolicyLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request reader may drop namespaces the policy does not list ({@code RequestFacts}: beyond
 * the first 16). Every grant a policy principal holds names a listed namespace, so for them a
 * dropped name is never one they were granted; this checks it over the test policies, so a new
 * grant source in the policy that forgets to list its names fails here. Tokens' permissions
 * claims may grant unlisted names: for them the authorizer refuses a body whose unlisted names
 * were dropped unless the caller's everywhere grant covers it ({@code ClaimedRightsTest}).
 */
class GrantedNamespacesAreListedTest {
  @Test
  void everyGrantedNamespaceIsAKnownName() throws Exception {
    List<PolicySnapshot> policies = List.of(
        PolicyLoader.load(Path.of("src/test/resources/policies/valid.yaml"),
            Instant.parse("2026-06-01T12:00:00Z")),
        Fixtures.standard().build());
    for (PolicySnapshot policy : policies) {
      int grants = 0;
      for (Principal principal : policy.principals()) {
        EffectiveRights rights = policy.rightsOf(principal.id());
        for (String namespace : rights.grants().keySet()) {
          byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
          assertNotNull(policy.namespaceNames().lookup(name, 0, name.length),
              principal.id() + " is granted " + namespace + ", which the policy does not list");
          grants++;
        }
      }
      assertFalse(grants == 0, "the policy grants nothing: the check would prove nothing");
    }
  }
}
