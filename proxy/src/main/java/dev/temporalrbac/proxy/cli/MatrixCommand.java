package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.Behaviour;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.catalog.MethodRule;
import dev.temporalrbac.policy.catalog.Scope;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code matrix}: the whole method catalog as a table, one row per method, so a reviewer can read
 * what the proxy enforces without reading code. Built from the same catalog the proxy decides
 * with, so the table cannot go stale.
 */
@Command(name = "matrix", sortOptions = false,
    description = {"Prints who may call every method (markdown or TSV).",
        "One row per method the proxy knows: its scope, requirement, runtime behaviour, the"
            + " source of the rule and what it reads from the request. md ends with a count per"
            + " service. Exit 0.",
        ""})
public final class MatrixCommand implements Callable<Integer> {
  private static final List<String> COLUMNS =
      List.of("method", "scope", "who may call", "behaviour", "source", "note");

  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;
  @Option(names = "--format", paramLabel = "md|tsv", defaultValue = "md",
      description = "markdown (default) or tab-separated values")
  private String format;

  @Override
  public Integer call() {
    if (!format.equals("md") && !format.equals("tsv")) {
      throw new ParameterException(spec.commandLine(), "--format must be md or tsv");
    }
    PrintWriter out = spec.commandLine().getOut();
    MethodCatalog catalog = MethodCatalog.load();
    if (format.equals("tsv")) {
      out.println(String.join("\t", COLUMNS));
      for (CatalogEntry entry : catalog.entries()) {
        out.println(String.join("\t", row(entry).stream().map(MatrixCommand::tsvCell).toList()));
      }
      return ExitCode.OK;
    }
    out.println("| " + String.join(" | ", COLUMNS) + " |");
    out.println("|" + "---|".repeat(COLUMNS.size()));
    Map<String, Integer> perService = new LinkedHashMap<>();
    for (CatalogEntry entry : catalog.entries()) {
      out.println("| " + String.join(" | ", row(entry).stream().map(MatrixCommand::mdCell).toList())
          + " |");
      perService.merge(entry.rule().service().shortName(), 1, Integer::sum);
    }
    out.println();
    perService.forEach((service, count) -> out.println("- " + service + ": " + count
        + (count == 1 ? " method" : " methods")));
    out.println("- total: " + catalog.size() + " methods");
    if (!catalog.methodsWithoutRule().isEmpty()) {
      out.println("- without a rule (always denied): "
          + String.join(", ", catalog.methodsWithoutRule()));
    }
    return ExitCode.OK;
  }

  static List<String> row(CatalogEntry entry) {
    MethodRule rule = entry.rule();
    return List.of(
        rule.service().shortName() + "/" + rule.method(),
        rule.scope().name().toLowerCase(Locale.ROOT),
        who(rule),
        rule.behaviour() == Behaviour.NONE ? "" : rule.behaviour().name().toLowerCase(Locale.ROOT),
        rule.source(),
        note(entry));
  }

  private static String who(MethodRule rule) {
    if (rule.scope() == Scope.ACCOUNT && rule.allowsEveryRole()) {
      return "role:any (also namespace-scoped service accounts)";
    }
    return rule.requirement();
  }

  private static String note(CatalogEntry entry) {
    MethodRule rule = entry.rule();
    if (!rule.service().forwarded()) {
      return "the proxy's own API, answered on its main port; never forwarded";
    }
    switch (rule.scope()) {
      case PUBLIC:
        return "no credentials needed";
      case AUTHENTICATED:
        return rule.behaviour() == Behaviour.FILTER_NAMESPACE_LIST
            ? "response lists only namespaces the caller may read" : "";
      case NAMESPACE:
        StringBuilder from = new StringBuilder("namespaces from ");
        for (String path : entry.plan().paths()) {
          from.append(path.endsWith("=NAMESPACE") ? path.substring(0, path.length() - 10)
              : path.replace("=NAMESPACE_ID", " (namespace id)")).append(", ");
        }
        return from.append("the temporal-namespace header").toString();
      default:
        return entry.needsBody() ? "reads " + String.join(", ", entry.plan().paths()) : "";
    }
  }

  private static String mdCell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }

  private static String tsvCell(String text) {
    return text.replace('\t', ' ').replace('\n', ' ');
  }
}
