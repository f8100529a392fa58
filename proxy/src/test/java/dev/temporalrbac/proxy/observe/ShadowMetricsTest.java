package dev.temporalrbac.proxy.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ShadowMetrics shadows = new ShadowMetrics(registry);

  private double count(String result) {
    return registry.get("temporal.rbac.shadow.decisions").tag("result", result).counter().count();
  }

  @Test
  void nothingExistsOrCountsBeforeEnabled() {
    shadows.count(ShadowResult.WOULD_DENY);
    shadows.failed();
    assertTrue(registry.find("temporal.rbac.shadow.decisions").counters().isEmpty());
    shadows.enable();
    assertEquals(0.0, count("would_deny"), "what came before is not counted");
    assertEquals(0.0, count("error"));
  }

  @Test
  void countsEachResultAndErrorsApart() {
    shadows.enable();
    shadows.enable(); // idempotent
    List<String> results =
        List.of("same", "would_allow", "would_deny", "undecided", "error");
    assertEquals(results.size(),
        registry.find("temporal.rbac.shadow.decisions").counters().size());
    shadows.count(ShadowResult.SAME);
    shadows.count(ShadowResult.SAME);
    shadows.count(ShadowResult.WOULD_ALLOW);
    shadows.count(ShadowResult.UNDECIDED);
    shadows.failed();
    assertEquals(2.0, count("same"));
    assertEquals(1.0, count("would_allow"));
    assertEquals(0.0, count("would_deny"));
    assertEquals(1.0, count("undecided"));
    assertEquals(1.0, count("error"));
  }
}
