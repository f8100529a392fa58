package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpositionTest {
  private static final String TEXT = String.join("\n",
      "# HELP d_seconds Time to decide",
      "# TYPE d_seconds histogram",
      "d_seconds_bucket{le=\"0.005\"} 0",
      "d_seconds_count 0",
      "d_seconds_sum 0.0",
      "# TYPE info gauge",
      "info{version=\"a,b=\\\"c\\\"\",kind=\"x\"} 1",
      "");

  @Test
  void samplesAndFamiliesAreBothNames() {
    Exposition exposition = Exposition.parse(TEXT);
    assertTrue(exposition.has("d_seconds"));
    assertTrue(exposition.has("d_seconds_bucket"));
    assertTrue(exposition.has("d_seconds_count"));
    assertFalse(exposition.has("d_seconds_max"));
    assertFalse(exposition.has("d"));
  }

  @Test
  void labelNamesAreReadPastEscapedQuotesAndCommasInValues() {
    Exposition exposition = Exposition.parse(TEXT);
    assertEquals(Set.of("version", "kind"), exposition.labelsOf("info"));
    assertEquals(Set.of("le"), exposition.labelsOf("d_seconds"));
  }

  @Test
  void labelValuesAreReadUnescapedAndAHistogramsFromItsSamples() {
    Exposition exposition = Exposition.parse(TEXT + "info{version=\"v2\",kind=\"x\"} 1\n");
    assertEquals(Map.of("version", Set.of("a,b=\"c\"", "v2"), "kind", Set.of("x")),
        exposition.valuesOf("info"));
    assertEquals(Map.of("le", Set.of("0.005")), exposition.valuesOf("d_seconds"));
    assertEquals(Map.of(), exposition.valuesOf("absent"));
  }

  @Test
  void aLineThatIsNoSampleIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Exposition.parse("{job=\"x\"} 1\n"));
    assertEquals("not a sample line: {job=\"x\"} 1", e.getMessage());
  }
}
