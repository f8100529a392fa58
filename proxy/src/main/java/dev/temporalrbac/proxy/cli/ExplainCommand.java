package dev.temporalrbac.proxy.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proxy.explain.Explainer;
import dev.temporalrbac.proxy.explain.Explanation;
import dev.temporalrbac.proxy.explain.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code explain}: what would the proxy do with this call, and why. One call from the options
 * (exit 0 allowed, 3 denied), or, with only {@code --policy}, one JSON request per stdin line
 * answered by one JSON line each, so thousands of checks share one JVM and one loaded policy.
 */
public final class ExplainCommand implements Command {
  private static final Set<String> CALL_OPTIONS =
      Set.of("principal", "api-key", "method", "namespace", "request-json");
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
    return "usage: explain --policy FILE [--principal ID | --api-key SECRET] --method FULL_METHOD\n"
        + "               [--namespace NS] [--request-json JSON]\n"
        + "       explain --policy FILE < requests.jsonl\n"
        + "  FULL_METHOD is e.g. temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution.\n"
        + "  --namespace is the temporal-namespace header; --request-json the request message\n"
        + "  in protobuf JSON (unknown fields are errors; give 64-bit integers as strings).\n"
        + "  Prints one JSON object: decision, status, reason, principal, method, namespaces,\n"
        + "  required, principal_type, role, policy_version, reason_code.\n"
        + "  Exit 0 allowed, 3 denied, 1 policy rejected, 2 usage error.\n"
        + "  Without --principal or --api-key the call is anonymous. --api-key shows the\n"
        + "  secret to other local users (process list); prefer the stdin form below.\n"
        + "  With only --policy: reads one JSON request per line, e.g.\n"
        + "    {\"principal\":\"ID\",\"method\":\"...\",\"namespace\":\"NS\",\"request\":{...}}\n"
        + "  (or \"api_key\" instead of \"principal\"; \"request_base64\" wins over \"request\"),\n"
        + "  writes one JSON answer per line ({\"line\":N,\"error\":\"...\"} for a bad line; blank\n"
        + "  lines are skipped) and exits 0 at end of input.\n";
  }

  @Override
  public Set<String> valueOptions() {
    return Set.of("policy", "principal", "api-key", "method", "namespace", "request-json");
  }

  @Override
  public int execute(Args args, InputStream in, PrintStream out, PrintStream err)
      throws UsageException {
    String file = args.require("policy");
    boolean batch = args.onlyHas(Set.of("policy"));
    if (!batch) {
      args.require("method");
      if (args.has("principal") && args.has("api-key")) {
        throw new UsageException("give --principal or --api-key, not both");
      }
    }
    PolicySnapshot policy = PolicyFiles.load(file, err);
    if (policy == null) {
      return ExitCode.POLICY_ERROR;
    }
    Explainer explainer = new Explainer(new Authorizer(MethodCatalog.load(), Clock.systemUTC()),
        policy);
    return batch ? batch(explainer, in, out, err) : single(explainer, args, out);
  }

  private static int single(Explainer explainer, Args args, PrintStream out) {
    Explanation answer = explainer.explain(args.get("principal"), args.get("api-key"),
        args.get("method"), args.get("namespace"), null, args.get("request-json"));
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
