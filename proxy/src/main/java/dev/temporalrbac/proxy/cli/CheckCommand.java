package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.diff.PolicyComparer;
import dev.temporalrbac.policy.diff.PolicyDiff;
import dev.temporalrbac.policy.load.RemovalGuard;
import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
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
 * {@code check --policy FILE [--against OLD] [--format text|json] [--at TIME]}: validates a
 * policy file, or a directory of them ({@code policy.directory}), exactly as the proxy would load
 * it, so a change can be checked in CI before it is deployed (a signature is not verified). With
 * {@code --against}, also applies the proxy's removal guard to the change from OLD to FILE (a
 * version the running proxy would refuse fails here first, exit 1), and prints what each
 * principal gains and loses ({@link PolicyComparer}); exit {@link ExitCode#LOSS} when some
 * principal loses something, so a pipeline can require a review, 0 when nothing is lost. The JSON
 * form is {@link DiffJson}'s.
 */
@Command(name = "check", sortOptions = false,
    description = {"Validates a policy file exactly as the proxy would load it.",
        "FILE and OLD may each be a directory: every non-hidden *.yaml / *.yml file in it,"
            + " read as one policy exactly as serve's policy.directory reads it (a Kubernetes"
            + " ConfigMap mount's ..data followed). A signature (FILE.jws, DIR/policy.jws) is"
            + " not verified: check is an offline review tool; serve verifies it.",
        "On success prints its version (content hash) and counts, exit 0. On failure prints"
            + " every error as file:line: field: message to stderr, exit 1.",
        "With --against OLD: also prints, per principal (by id), what FILE gives and takes"
            + " compared with OLD, by effective rights (own, groups' and creator grants folded"
            + " in): '+' gained, '-' lost, '~' changed without a gain or loss (a grant moved to a"
            + " group, a change to a key no version lets anyone use). Compared: account role (by"
            + " the account methods it allows; developer -> finance_admin is a gain and a loss),"
            + " namespace permissions (read < write < admin), calls naming a namespace by id"
            + " (namespaces[].id mappings added, moved or removed), API keys (usable unless"
            + " disabled or expired at --at; a replaced secret is a loss; a usable key's expiry"
            + " added or moved earlier is a loss, moved later or removed a gain), certificate"
            + " filters, principals added or removed. Then a groups block: what a member holding"
            + " only that group gains and loses (a token's groups claim makes members no"
            + " principal lists). Exit 3 when anything is lost, 0 when nothing is, 1 when either"
            + " file is invalid (stderr names the side: --policy: / --against:) or the removal"
            + " check fails (the summary line names the exit code).",
        "--format json prints one JSON object instead: {\"policy\", \"policy_version\","
            + " \"against\", \"against_version\", \"at\", \"removal_check\": {\"ok\","
            + " \"message\", \"principals_removed\": [ID], \"api_keys_removed\": [ID]},"
            + " \"gains\": N, \"losses\": N, \"changes\": N, \"loses_something\","
            + " \"principals\": [{\"id\", \"type\", \"status\": added|removed|changed,"
            + " \"gains\": [C], \"losses\": [C], \"changes\": [C]}], \"groups\": [{\"id\","
            + " \"status\", \"gains\": [C], \"losses\": [C], \"changes\": [C]}]}, each C"
            + " {\"kind\", \"subject\", \"from\", \"to\", \"text\"} (+ \"attribute\":"
            + " state|secret|expiry|owner for kind api_key, + \"methods\" for kind account);"
            + " kinds principal, account, namespace, namespace_id, certificate_filter, api_key"
            + " (in gains and losses, and principal, namespace_id, api_key also in changes) and"
            + " role, grant, group, namespace_fact (changes only). Counts cover principals and"
            + " groups.",
        ""})
public final class CheckCommand implements Callable<Integer> {
  /** Removed ids listed per kind before "and N more". */
  private static final int LISTED = 20;
  /**
   * RFC 3339's date-time: seconds required, fraction optional, {@code T} and {@code Z} in either
   * case (RFC 3339 §5.6), an offset or {@code Z} required.
   */
  private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .appendOffset("+HH:MM", "Z")
      .toFormatter(Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT)
      .withChronology(IsoChronology.INSTANCE);

  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;
  @Option(names = "--policy", required = true, paramLabel = "FILE",
      description = "the policy file or directory to validate (the new version)")
  private String file;
  @Option(names = "--against", paramLabel = "OLD", description = "compare FILE with OLD (the"
      + " policy in force, a file or directory): prints what each principal gains and loses"
      + " (exit 3 when anything is lost), and applies the proxy's removal guard: removing more"
      + " than half of the principals or of the API keys is refused unless FILE confirms it"
      + " (confirm_removal), exit 1")
  private String against;
  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "output of --against: text (default) or json")
  private String format;
  @Option(names = "--at", paramLabel = "TIME", description = "with --against: judge API keys'"
      + " expiry at this RFC 3339 time (e.g. the rollout's, 2027-01-01T00:00:00Z) instead of"
      + " now")
  private String at;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      throw new ParameterException(spec.commandLine(), "--format: expected text or json");
    }
    boolean text = format.equals("text");
    if (against == null && !text) {
      throw new ParameterException(spec.commandLine(),
          "--format json prints the diff: give --against OLD too");
    }
    if (against == null && at != null) {
      throw new ParameterException(spec.commandLine(),
          "--at judges API keys' expiry in the diff: give --against OLD too");
    }
    Instant now = now();
    PolicySnapshot policy = PolicyFiles.load(file, against == null ? "" : "--policy: ", err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    if (text) {
      summary(policy, out);
    }
    if (against == null) {
      out.println("removal check: not run (nothing to compare with; --against CURRENT compares"
          + " with the policy in force)");
      return ExitCode.OK;
    }
    PolicySnapshot current = PolicyFiles.load(against, "--against: ", err);
    if (current == null) {
      err.println("check: --against " + against + " is not a valid policy, so FILE cannot be"
          + " compared with it");
      return ExitCode.POLICY_ERROR;
    }
    RemovalGuard.Verdict verdict = RemovalGuard.check(current, policy);
    PolicyDiff diff = new PolicyComparer(MethodCatalog.load()).compare(current, policy, now);
    int exitCode = verdict.rejected() ? ExitCode.POLICY_ERROR
        : diff.losesSomething() ? ExitCode.LOSS : ExitCode.OK;
    if (text || verdict.rejected()) {
      printVerdict(verdict, current, verdict.rejected() ? err : out);
    }
    if (text) {
      out.println("changes from " + against + " to " + file + " (API keys' expiry judged at "
          + now + "):");
      DiffText.print(diff, exitCode, out);
    } else {
      out.println(DiffJson.of(policy, current, verdict, diff));
    }
    return exitCode;
  }

  private Instant now() {
    if (at == null) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS); // printed: a reader needs no nanos
    }
    try {
      return OffsetDateTime.parse(at.trim(), RFC_3339).toInstant();
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(),
          "--at: expected an RFC 3339 time such as 2027-01-01T00:00:00Z");
    }
  }

  private static void summary(PolicySnapshot policy, PrintWriter out) {
    out.println("policy OK: " + policy.source());
    out.println("version: " + policy.version());
    out.println("principals: " + policy.principals().size()
        + (policy.principals().isEmpty() ? " (none: no user or service account)" : ""));
    for (Map.Entry<String, Integer> role : policy.principalsPerRole().entrySet()) {
      out.println("  " + role.getKey() + ": " + role.getValue());
    }
    out.println("groups: " + policy.groups().size());
    out.println("api keys: " + policy.apiKeys().size() + (policy.apiKeys().isEmpty()
        ? " (none: every call would be refused UNAUTHENTICATED)" : ""));
    out.println("namespaces: " + policy.namespaces().size());
    if (policy.confirmsRemoval()) {
      out.println("confirm_removal: matches (" + policy.principals().size() + " principals, "
          + policy.apiKeys().size() + " API keys); remove it once this version is in force");
    }
  }

  private void printVerdict(RemovalGuard.Verdict verdict, PolicySnapshot current,
      PrintWriter to) {
    to.println((verdict.rejected() ? "removal check FAILED against " : "removal check OK"
        + " against ") + against + " (version " + current.version() + "): " + verdict.message());
    list(to, "principals removed", verdict.principalsRemoved());
    list(to, "API keys removed", verdict.keysRemoved());
  }

  private static void list(PrintWriter out, String label, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder("  ").append(label).append(": ");
    int shown = Math.min(LISTED, ids.size());
    line.append(String.join(", ", ids.subList(0, shown)));
    if (ids.size() > shown) {
      line.append(", and ").append(ids.size() - shown).append(" more");
    }
    out.println(line);
  }
}
