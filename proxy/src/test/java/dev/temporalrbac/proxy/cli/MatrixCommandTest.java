package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MatrixCommandTest {
  private static final MethodCatalog CATALOG = MethodCatalog.load();

  /** Service/Method of every catalog entry, in catalog order. */
  private static List<String> expectedMethods() {
    return CATALOG.entries().stream()
        .map(e -> e.rule().service().shortName() + "/" + e.rule().method())
        .toList();
  }

  @Test
  void markdownListsEveryMethodExactlyOnce() {
    CliRun run = CliRun.of("matrix");
    assertEquals(ExitCode.OK, run.code(), run.err());
    List<String> rows = run.lines().stream().filter(line -> line.startsWith("| ")).toList();
    assertEquals("| method | scope | who may call | behaviour | source | note |", rows.get(0));
    List<String> methods = rows.stream().skip(1)
        .map(line -> line.substring(2, line.indexOf(" | "))).toList();
    assertEquals(expectedMethods(), methods);
    assertEquals(methods.size(), methods.stream().distinct().count());
  }

  @Test
  void markdownEndsWithACountPerService() {
    CliRun run = CliRun.of("matrix", "--format", "md");
    var perService = CATALOG.entries().stream().collect(
        Collectors.groupingBy(e -> e.rule().service().shortName(), Collectors.counting()));
    perService.forEach((service, count) -> assertTrue(
        run.out().contains("- " + service + ": " + count + (count == 1 ? " method\n" : " methods\n")),
        service + " count missing:\n" + run.out()));
    assertTrue(run.out().contains("- total: " + CATALOG.size() + " methods"), run.out());
  }

  @Test
  void tsvListsEveryMethodExactlyOnce() {
    CliRun run = CliRun.of("matrix", "--format", "tsv");
    assertEquals(ExitCode.OK, run.code(), run.err());
    List<String> lines = run.lines();
    assertEquals("method\tscope\twho may call\tbehaviour\tsource\tnote", lines.get(0));
    List<String> methods = lines.stream().skip(1).map(line -> line.split("\t", -1)[0]).toList();
    assertEquals(expectedMethods(), methods);
    lines.forEach(line -> assertEquals(6, line.split("\t", -1).length, line));
  }

  @Test
  void rowsCarryRequirementBehaviourAndNamespacePaths() {
    String out = CliRun.of("matrix", "--format", "tsv").out();
    CatalogEntry start = CATALOG.find(CliRun.WORKFLOW + "StartWorkflowExecution");
    assertTrue(out.contains("WorkflowService/StartWorkflowExecution\tnamespace\tnamespace:write\t\t"
        + start.rule().source() + "\tnamespaces from namespace, the temporal-namespace header"), out);
    assertTrue(out.contains("CloudService/CreateApiKey\taccount\trole:any"), out);
    assertTrue(out.contains("\tapi_key_ownership\t"), out);
    assertTrue(out.contains("CloudService/GetUsage\taccount\trole:finance_admin|global_admin|account_owner"),
        out);
  }

  @Test
  void markdownEscapesPipesInCells() {
    String out = CliRun.of("matrix").out();
    assertTrue(out.contains("role:global_admin\\|account_owner"), out);
  }

  @Test
  void unknownFormatIsAUsageError() {
    assertEquals(ExitCode.USAGE, CliRun.of("matrix", "--format", "csv").code());
  }
}
