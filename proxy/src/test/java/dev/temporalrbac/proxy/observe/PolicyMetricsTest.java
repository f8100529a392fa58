package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PolicyMetrics policies = new PolicyMetrics(registry);

  static PolicySnapshot policy(String role) throws Exception {
    String yaml = "users:\n  - id: dev@example.com\n    role: " + role + "\n";
    return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.EPOCH);
  }

  private void assertSample(String expected) {
    Scrapes.assertSample(registry.scrape(), expected);
  }

  private long count(String prefix) {
    return Scrapes.count(registry.scrape(), prefix);
  }

  @Test
  void lastSuccessIsTheTimeOfTheLastConfirmation() {
    assertSample("temporal_rbac_policy_last_success_timestamp_seconds 0.0");
    policies.confirmed(Instant.parse("2026-12-01T10:00:00.500Z"));
    assertSample("temporal_rbac_policy_last_success_timestamp_seconds 1.7961192005E9");
  }

  @Test
  void shadowPolicyInfoOnlyOnceAShadowIsInstalled() throws Exception {
    assertEquals(0, count("temporal_rbac_shadow_policy_info"));
    PolicySnapshot first = policy("developer");
    PolicySnapshot second = policy("read_only");
    policies.shadowInstalled(first);
    assertSample("temporal_rbac_shadow_policy_info{version=\"" + first.version() + "\"} 1");
    policies.shadowInstalled(second);
    assertSample("temporal_rbac_shadow_policy_info{version=\"" + second.version() + "\"} 1");
    assertEquals(1, count("temporal_rbac_shadow_policy_info{"));
    assertSample("temporal_rbac_policy_reloads_total{result=\"success\"} 0.0");
    assertEquals(0, count("temporal_rbac_policy_info{"), "the enforced policy's info is apart");
  }

  @Test
  void countsReloadsAndSwitchesPolicyInfo() throws Exception {
    PolicySnapshot first = policy("developer");
    PolicySnapshot second = policy("read_only");
    policies.installed(first); // the policy loaded at start: not a reload
    assertSample("temporal_rbac_policy_reloads_total{result=\"success\"} 0.0");
    assertSample("temporal_rbac_policy_info{version=\"" + first.version() + "\"} 1");

    policies.rejected("test.yaml", "bad yaml");
    policies.installed(second);
    assertSample("temporal_rbac_policy_reloads_total{result=\"success\"} 1.0");
    assertSample("temporal_rbac_policy_reloads_total{result=\"failure\"} 1.0");
    assertSample("temporal_rbac_policy_info{version=\"" + second.version() + "\"} 1");
    assertFalse(registry.scrape().contains(first.version()), "old version series removed");
    assertEquals(1, count("temporal_rbac_policy_info{"));
  }

  @Test
  void bindsTheCachesOfTheSnapshotInForce() throws Exception {
    PolicySnapshot first = policy("developer");
    policies.installed(first);
    first.rightsOf("dev@example.com");
    first.rightsOf("dev@example.com");
    assertSample("cache_gets_total{cache=\"policy_rights\",result=\"hit\"} 1.0");
    assertSample("cache_gets_total{cache=\"policy_rights\",result=\"miss\"} 1.0");
    assertFalse(registry.scrape().contains("policy_api_keys"), "keys are a table, not a cache");

    PolicySnapshot second = policy("read_only");
    policies.installed(second);
    second.rightsOf("dev@example.com");
    assertSample("cache_gets_total{cache=\"policy_rights\",result=\"hit\"} 0.0");
    assertSample("cache_gets_total{cache=\"policy_rights\",result=\"miss\"} 1.0");
    assertEquals(1, count("cache_gets_total{cache=\"policy_rights\",result=\"hit\"}"));
  }
}
