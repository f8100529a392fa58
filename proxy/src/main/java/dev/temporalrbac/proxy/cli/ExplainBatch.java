package dev.temporalrbac.proxy.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.proto.v1.ExplainRequest;
import dev.temporalrbac.proxy.explain.Explainer;
import dev.temporalrbac.proxy.explain.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code explain} with no call options: one JSON request per stdin line answered by one JSON line
 * each ({@code {"line":N,"error":"..."}} for a bad line), so thousands of checks share one JVM and
 * one loaded policy. A line's {@code method} may take the short forms {@code --method} takes
 * ({@link MethodNames}). Runs on the calling thread.
 */
final class ExplainBatch {
  private static final JsonFormat.Printer STRUCT_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final Explainer explainer;
  private final MethodCatalog catalog;
  private final JsonFormat.Parser parser = JsonFormat.parser();

  ExplainBatch(Explainer explainer, MethodCatalog catalog) {
    this.explainer = explainer;
    this.catalog = catalog;
  }

  /** Answers every line of {@code in}; exit 0 at end of input, 1 when stdin fails. */
  int run(InputStream in, PrintWriter out, PrintWriter err) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        out.println(answer(line, number));
        out.flush(); // the other end may wait for this answer before sending its next question
      }
    } catch (IOException e) {
      err.println("explain: cannot read stdin after line " + number + ": " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    return ExitCode.OK;
  }

  private String answer(String line, int number) {
    Set<String> secrets = new HashSet<>();
    String problem;
    try {
      ExplainRequest request = parseLine(parser, line, secrets);
      if (!request.getMethod().isEmpty()) {
        request = request.toBuilder()
            .setMethod(MethodNames.resolve(catalog, request.getMethod())).build();
      }
      return explainer.explain(request).toJson();
    } catch (InvalidProtocolBufferException e) {
      problem = "not a valid request line: " + (e.getMessage() == null
          ? "a field has the wrong JSON type" : e.getMessage());
    } catch (IllegalArgumentException e) {
      problem = e.getMessage(); // the explainer's own words; redacted below all the same
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
