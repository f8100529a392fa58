package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.IdentitySettings;
import dev.temporalrbac.proxy.explain.ClientChainCheck;
import dev.temporalrbac.proxy.explain.Explainer;
import dev.temporalrbac.proxy.explain.Explanation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: what would the proxy do with this call, and why. One call from the options
 * (exit 0 allowed, 3 denied), or, with no call options, one JSON request per stdin line
 * ({@link ExplainBatch}). The authorizer is built with serve's identity settings ({@code --config}
 * and the identity flags), so a JWT or a client certificate is decided as on the wire.
 */
@Command(name = "explain", sortOptions = false,
    customSynopsis = {
        Cli.NAME + " explain --policy=FILE --method=METHOD",
        "    [--principal=ID | --api-key=SECRET | --jwt=TOKEN] [--cert=PEM_FILE]",
        "    [--namespace=NS] [--request-json=JSON]",
        "    [--config=proxy.yaml] [--IDENTITY_FLAG=VALUE]...",
        Cli.NAME + " explain --policy=FILE [--config=proxy.yaml]",
        "    < requests.jsonl"},
    description = {
        "Decides a call as the proxy would, and says why.",
        "Prints one JSON object: decision, status, reason, principal, method, namespaces,"
            + " required, principal_type, role, policy_version, reason_code, identified_by,"
            + " credential_id. Exit 0 allowed, 3 denied, 1 policy, settings or JWKS rejected,"
            + " 2 usage error.",
        "FILE may be a directory: every non-hidden *.yaml / *.yml file in it, read as one"
            + " policy exactly as serve's policy.directory reads it (a Kubernetes ConfigMap"
            + " mount's ..data followed). A signature (FILE.jws, DIR/policy.jws) is not verified:"
            + " explain is an offline review tool; serve verifies it.",
        "Without --principal, --api-key, --jwt or --cert the call is anonymous. --jwt and --cert"
            + " are decided as serve decides them, with serve's identity settings: give --config"
            + " proxy.yaml and/or the same flags. With --cert and --api-key or --jwt the bearer"
            + " credential identifies the caller, as on the wire.",
        "With no call options: reads one JSON request per line, e.g.",
        "  {\"principal\":\"ID\",\"method\":\"...\",\"namespace\":\"NS\",\"request\":{...}}",
        "(or \"api_key\" instead of \"principal\"; \"request_base64\" wins over \"request\"),"
            + " writes one JSON answer per line ({\"line\":N,\"error\":\"...\"} for a bad line;"
            + " blank lines are skipped) and exits 0 at end of input.",
        ""})
public final class ExplainCommand implements Callable<Integer> {
  private final InputStream in;
  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;

  @Option(names = "--policy", required = true, paramLabel = "FILE",
      description = "the policy file or directory to decide with")
  private String policyFile;
  @Option(names = "--principal", paramLabel = "ID",
      description = "the caller: a user or service account id of the policy")
  private String principal;
  @Option(names = "--api-key", paramLabel = "SECRET", description = {"the caller's API key"
      + " (shows the secret to other local users in the process list; prefer the stdin form)"})
  private String apiKey;
  @Option(names = "--jwt", paramLabel = "TOKEN",
      description = "the caller's JWT; needs identity.jwt.jwks (loaded once)")
  private String jwt;
  @Option(names = "--cert", paramLabel = "PEM_FILE", description = {"the client certificate chain,"
      + " leaf first; needs tls.client_auth optional or require, and must verify against"
      + " tls.client_ca as in the TLS handshake (else exit 1)"})
  private String cert;
  @Option(names = "--method", paramLabel = "METHOD", description = {"the method: the full name"
      + " (temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution), the form deny"
      + " messages print (WorkflowService/StartWorkflowExecution), or the bare method when one"
      + " service has it"})
  private String method;
  @Option(names = "--namespace", paramLabel = "NS", description = "the temporal-namespace header")
  private String namespace;
  @Option(names = "--request-json", paramLabel = "JSON", description = {"the request message in"
      + " protobuf JSON (unknown fields are errors; give 64-bit integers as strings)"})
  private String requestJson;
  @Option(names = "--config", paramLabel = "proxy.yaml",
      description = "serve's config file, for its identity settings")
  private String config;

  /** A command reading batch requests from {@code in}. */
  ExplainCommand(InputStream in) {
    this.in = in;
  }

  /** This command with serve's identity flags ({@link ConfigLoader#IDENTITY_FLAGS}) declared. */
  CommandLine commandLine() {
    CommandLine line = new CommandLine(this);
    SettingFlags.declare(line.getCommandSpec(), ConfigLoader.IDENTITY_FLAGS);
    return line;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean batch = Stream.of(principal, apiKey, jwt, cert, method, namespace, requestJson)
        .allMatch(Objects::isNull);
    MethodCatalog catalog = MethodCatalog.load();
    String fullMethod = null;
    if (!batch) {
      fullMethod = checkCall(catalog);
    }
    IdentitySettings settings;
    try {
      settings = identitySettings();
    } catch (ConfigException e) {
      err.println("explain: identity settings rejected:\n  " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    if (jwt != null && settings.jwt() == null) {
      throw usage("--jwt needs identity.jwt.jwks (--jwks, or --config with it): without a JWKS,"
          + " serve reads every bearer value as an API key");
    }
    if (cert != null && settings.mtls() == null) {
      throw usage("--cert needs client certificates accepted (tls.client_auth optional or"
          + " require, or tls.client_ca: --tls-client-ca, or --config with it)");
    }
    List<X509Certificate> chain = List.of();
    if (cert != null) {
      try {
        chain = PemChain.read(Path.of(cert));
        // as the TLS handshake would: a chain that does not verify never reaches a decision
        String problem = ClientChainCheck.load(settings.clientCa()).problem(chain, Instant.now());
        if (problem != null) {
          err.println("explain: " + problem);
          return ExitCode.POLICY_ERROR;
        }
      } catch (IOException e) {
        err.println("explain: " + e.getMessage());
        return ExitCode.POLICY_ERROR;
      }
    }
    PolicySnapshot policy = PolicyFiles.load(policyFile, err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    Clock clock = Clock.systemUTC();
    try (IdentityEngine identity = IdentityEngine.load(settings, clock)) {
      Explainer explainer = new Explainer(
          new Authorizer(catalog, clock, identity.identities()), policy);
      return batch ? new ExplainBatch(explainer, catalog).run(in, out, err)
          : single(explainer, fullMethod, chain, out);
    } catch (IOException e) {
      err.println("explain: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
  }

  /** Checks the options of a single call; returns the full name of its method. */
  private String checkCall(MethodCatalog catalog) {
    if (method == null || method.isEmpty()) {
      throw usage("--method is required with any call option (without call options, requests"
          + " are read from stdin)");
    }
    if (Stream.of(principal, apiKey, jwt).filter(Objects::nonNull).count() > 1) {
      throw usage("give one of --principal, --api-key and --jwt");
    }
    if (principal != null && cert != null) {
      throw usage("--principal names the caller; it cannot come with --cert");
    }
    try {
      return MethodNames.resolve(catalog, method);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The identity settings of {@code --config} and the identity flags, as serve reads them. */
  private IdentitySettings identitySettings() throws ConfigException {
    Map<String, String> flags = SettingFlags.given(spec, ConfigLoader.IDENTITY_FLAGS);
    if (flags.isEmpty() && config == null) {
      return IdentitySettings.apiKeysOnly();
    }
    return new ConfigLoader(System.getenv())
        .loadIdentity(config == null ? null : Path.of(config), flags);
  }

  private int single(Explainer explainer, String fullMethod, List<X509Certificate> chain,
      PrintWriter out) {
    Explanation answer;
    String bearer = jwt != null ? jwt : apiKey;
    if (principal != null) {
      answer = explainer.explain(principal, null, fullMethod, namespace, null, requestJson);
    } else {
      // the same reading as a call's headers: one authorization header and the verified chain
      List<String> headers = bearer == null ? List.of() : List.of("Bearer " + bearer);
      answer = explainer.explain(Caller.fromRequest(headers, chain),
          Collections.singletonList(bearer), fullMethod, namespace, null, requestJson);
    }
    out.println(answer.toJson());
    return answer.allowed() ? ExitCode.OK : ExitCode.DENY;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
