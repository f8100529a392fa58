package dev.temporalrbac.proxy.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.IdentitySettings;
import dev.temporalrbac.proxy.explain.ClientChainCheck;
import dev.temporalrbac.proxy.explain.Explainer;
import dev.temporalrbac.proxy.explain.Explanation;
import dev.temporalrbac.proxy.explain.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code explain}: what would the proxy do with this call, and why. One call from the options
 * (exit 0 allowed, 3 denied), or, with no call options, one JSON request per stdin line
 * answered by one JSON line each, so thousands of checks share one JVM and one loaded policy.
 * The authorizer is built with serve's identity settings ({@code --config} and the identity
 * flags), so a JWT or a client certificate is decided as on the wire.
 */
public final class ExplainCommand implements Command {
  private static final Set<String> CALL_OPTIONS =
      Set.of("principal", "api-key", "jwt", "cert", "method", "namespace", "request-json");
  private static final JsonFormat.Printer STRUCT_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  @Override
  public String name() {
    return "explain";
  }

  @Override
  public String summary() {
    return "decide a call as the proxy would, and say why";
  }

  @Override
  public String usage() {
    return "usage: explain --policy FILE [--principal ID | --api-key SECRET | --jwt TOKEN]\n"
        + "               [--cert PEM_FILE] --method FULL_METHOD [--namespace NS]\n"
        + "               [--request-json JSON] [--config proxy.yaml] [--IDENTITY_FLAG VALUE ...]\n"
        + "       explain --policy FILE [--config proxy.yaml] [...] < requests.jsonl\n"
        + "  FULL_METHOD is e.g. temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution.\n"
        + "  --namespace is the temporal-namespace header; --request-json the request message\n"
        + "  in protobuf JSON (unknown fields are errors; give 64-bit integers as strings).\n"
        + "  Prints one JSON object: decision, status, reason, principal, method, namespaces,\n"
        + "  required, principal_type, role, policy_version, reason_code, identified_by,\n"
        + "  credential_id. Exit 0 allowed, 3 denied, 1 policy, settings or JWKS rejected,\n"
        + "  2 usage error.\n"
        + "  Without --principal, --api-key, --jwt or --cert the call is anonymous. --jwt and\n"
        + "  --cert are decided as serve decides them, with serve's identity settings: give\n"
        + "  --config proxy.yaml and/or the same flags (" + String.join(", ", identityFlags())
        + ").\n"
        + "  --jwt needs identity.jwt.jwks (the JWKS is loaded once); --cert a PEM file holding\n"
        + "  the client certificate chain, leaf first, and tls.client_auth optional or require;\n"
        + "  the chain must verify against tls.client_ca as in the TLS handshake (else exit 1).\n"
        + "  With --cert and --api-key or --jwt the bearer credential identifies the caller, as\n"
        + "  on the wire. --api-key and --jwt show the secret to other local users (process\n"
        + "  list); for API keys prefer the stdin form below.\n"
        + "  With no call options: reads one JSON request per line, e.g.\n"
        + "    {\"principal\":\"ID\",\"method\":\"...\",\"namespace\":\"NS\",\"request\":{...}}\n"
        + "  (or \"api_key\" instead of \"principal\"; \"request_base64\" wins over \"request\"),\n"
        + "  writes one JSON answer per line ({\"line\":N,\"error\":\"...\"} for a bad line; blank\n"
        + "  lines are skipped) and exits 0 at end of input.\n";
  }

  private static List<String> identityFlags() {
    return ConfigLoader.IDENTITY_FLAGS.stream().map(flag -> "--" + flag).toList();
  }

  @Override
  public Set<String> valueOptions() {
    Set<String> options = new HashSet<>(CALL_OPTIONS);
    options.add("policy");
    options.add("config");
    options.addAll(ConfigLoader.IDENTITY_FLAGS);
    return options;
  }

  @Override
  public int execute(Args args, InputStream in, PrintStream out, PrintStream err)
      throws UsageException {
    String file = args.require("policy");
    boolean batch = CALL_OPTIONS.stream().noneMatch(args::has);
    if (!batch) {
      args.require("method");
      long identities = Stream.of("principal", "api-key", "jwt").filter(args::has).count();
      if (identities > 1) {
        throw new UsageException("give one of --principal, --api-key and --jwt");
      }
      if (args.has("principal") && args.has("cert")) {
        throw new UsageException("--principal names the caller; it cannot come with --cert");
      }
    }
    IdentitySettings settings;
    try {
      settings = identitySettings(args);
    } catch (ConfigException e) {
      err.println("explain: identity settings rejected:\n  " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    if (args.has("jwt") && settings.jwt() == null) {
      throw new UsageException("--jwt needs identity.jwt.jwks (--jwks, or --config with it):"
          + " without a JWKS, serve reads every bearer value as an API key");
    }
    if (args.has("cert") && settings.mtls() == null) {
      throw new UsageException("--cert needs client certificates accepted (tls.client_auth"
          + " optional or require, or tls.client_ca: --tls-client-ca, or --config with it)");
    }
    List<X509Certificate> chain = List.of();
    if (args.has("cert")) {
      try {
        chain = PemChain.read(Path.of(args.get("cert")));
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
    PolicySnapshot policy = PolicyFiles.load(file, err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    Clock clock = Clock.systemUTC();
    try (IdentityEngine identity = IdentityEngine.load(settings, clock)) {
      Explainer explainer = new Explainer(
          new Authorizer(MethodCatalog.load(), clock, identity.identities()), policy);
      return batch ? batch(explainer, in, out, err) : single(explainer, args, chain, out);
    } catch (IOException e) {
      err.println("explain: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
  }

  /** The identity settings of {@code --config} and the identity flags, as serve reads them. */
  private static IdentitySettings identitySettings(Args args) throws ConfigException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String flag : ConfigLoader.IDENTITY_FLAGS) {
      if (args.has(flag)) {
        flags.put(flag, args.get(flag));
      }
    }
    if (flags.isEmpty() && !args.has("config")) {
      return IdentitySettings.apiKeysOnly();
    }
    return new ConfigLoader(System.getenv()).loadIdentity(
        args.has("config") ? Path.of(args.get("config")) : null, flags);
  }

  private static int single(Explainer explainer, Args args, List<X509Certificate> chain,
      PrintStream out) {
    Explanation answer;
    String bearer = args.has("jwt") ? args.get("jwt") : args.get("api-key");
    if (args.has("principal")) {
      answer = explainer.explain(args.get("principal"), null, args.get("method"),
          args.get("namespace"), null, args.get("request-json"));
    } else {
      // the same reading as a call's headers: one authorization header and the verified chain
      List<String> headers = bearer == null ? List.of() : List.of("Bearer " + bearer);
      answer = explainer.explain(Caller.fromRequest(headers, chain),
          Collections.singletonList(bearer), args.get("method"), args.get("namespace"), null,
          args.get("request-json"));
    }
    out.println(answer.toJson());
    return answer.allowed() ? ExitCode.OK : ExitCode.DENY;
  }

  private static int batch(Explainer explainer, InputStream in, PrintStream out,
      PrintStream err) {
    JsonFormat.Parser parser = JsonFormat.parser();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        out.println(answer(explainer, parser, line, number));
        out.flush(); // the other end may wait for this answer before sending its next question
      }
    } catch (IOException e) {
      err.println("explain: cannot read stdin after line " + number + ": " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    return ExitCode.OK;
  }

  private static String answer(Explainer explainer, JsonFormat.Parser parser, String line,
      int number) {
    Set<String> secrets = new HashSet<>();
    String problem;
    try {
      return explainer.explain(parseLine(parser, line, secrets)).toJson();
    } catch (InvalidProtocolBufferException e) {
      problem = "not a valid request line: " + (e.getMessage() == null
          ? "a field has the wrong JSON type" : e.getMessage());
    } catch (IllegalArgumentException e) {
      problem = e.getMessage(); // the explainer's own words, which never quote the key
      return errorLine(number, problem);
    } catch (RuntimeException e) {
      problem = "internal error: " + e;
    }
    return errorLine(number, Json.redact(problem, secrets));
  }

  private static String errorLine(int number, String problem) {
    return "{\"line\":" + number + ",\"error\":" + Json.quote(problem) + "}";
  }

  /**
   * Reads one line as an {@link ExplainRequest}, in two steps so that parser messages, which may
   * quote values, can be cleaned of the key: first any JSON object (collecting every string under
   * {@code api_key} into {@code secrets}), then the object as the request.
   */
  static ExplainRequest parseLine(JsonFormat.Parser parser, String line, Set<String> secrets)
      throws InvalidProtocolBufferException {
    if (!line.stripLeading().startsWith("{")) {
      throw new InvalidProtocolBufferException("expected a JSON object");
    }
    Struct.Builder object = Struct.newBuilder();
    parser.merge(line, object);
    for (String name : List.of("api_key", "apiKey")) {
      collectStrings(object.getFieldsOrDefault(name, Value.getDefaultInstance()), secrets);
    }
    ExplainRequest.Builder request = ExplainRequest.newBuilder();
    parser.merge(STRUCT_PRINTER.print(object), request);
    return request.build();
  }

  private static void collectStrings(Value value, Set<String> into) {
    switch (value.getKindCase()) {
      case STRING_VALUE:
        if (!value.getStringValue().isEmpty()) {
          into.add(value.getStringValue());
        }
        break;
      case LIST_VALUE:
        value.getListValue().getValuesList().forEach(item -> collectStrings(item, into));
        break;
      case STRUCT_VALUE:
        value.getStructValue().getFieldsMap().values().forEach(item -> collectStrings(item, into));
        break;
      default:
        break;
    }
  }
}
