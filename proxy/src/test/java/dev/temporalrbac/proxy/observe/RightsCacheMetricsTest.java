package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.load.PolicyLoader;
import dev.temporalrbac.policy.model.PolicySnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The exported rights-cache counters count every decision's rights look-up, API keys' too. */
class RightsCacheMetricsTest {
  private static final String SECRET = "rights-cache-metrics-test-secret";
  private static final String METHOD =
      "temporal.api.workflowservice.v1.WorkflowService/GetClusterInfo";

  @Test
  void nDecisionsBySameApiKeyAreOneMissAndNHitsAfterIt() throws Exception {
    String yaml = "users:\n  - id: dev@example.com\n    role: developer\n"
        + "api_keys:\n  - id: k1\n    owner: dev@example.com\n    sha256: "
        + Authorizer.hashSecret(SECRET) + "\n";
    PolicySnapshot policy = PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8),
        "test.yaml", Instant.EPOCH);
    Authorizer authorizer = new Authorizer(MethodCatalog.load(),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    try (ProxyMetrics metrics =
        new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false)) {
      metrics.installed(policy);
      int calls = 7;
      for (int i = 0; i < 1 + calls; i++) {
        assertTrue(authorizer.decide(policy, Caller.apiKey(SECRET), METHOD, null, null)
            .allowed());
      }
      String scrape = metrics.scrape();
      assertTrue(scrape.contains(
          "cache_gets_total{cache=\"policy_rights\",result=\"hit\"} " + calls + ".0"), scrape);
      assertTrue(scrape.contains(
          "cache_gets_total{cache=\"policy_rights\",result=\"miss\"} 1.0"), scrape);
      assertTrue(scrape.contains("cache_size{cache=\"policy_rights\"} 1.0"), scrape);
    }
  }
}
