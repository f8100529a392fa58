package dev.temporalrbac.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit.format} / {@code --audit-format}: json (the default) or cloud. */
class AuditFormatSettingTest {
  @TempDir Path dir;

  @Test
  void defaultsToJson() throws Exception {
    assertEquals("json", new ConfigLoader(Map.of()).load(null, Flags.of()).auditFormat());
  }

  @Test
  void readFromTheFileOrTheFlagInAnyCase() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, "policy:\n  file: p.yaml\naudit:\n  level: all\n  format: Cloud\n");
    assertEquals("cloud", new ConfigLoader(Map.of()).load(file, Map.of()).auditFormat());
    assertEquals("json", new ConfigLoader(Map.of()).load(file, Map.of("audit-format", "JSON"))
        .auditFormat());
  }

  @Test
  void anyOtherValueIsRejectedByName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(null, Flags.of("audit-format", "otel")));
    assertTrue(e.getMessage().contains("audit.format must be json or cloud, not 'otel'"),
        e.getMessage());
  }
}
