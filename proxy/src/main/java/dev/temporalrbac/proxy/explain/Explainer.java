package dev.temporalrbac.proxy.explain;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.temporalrbac.policy.catalog.CatalogEntry;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.StatusCode;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proto.v1.ExplainRequest;
import java.util.Collections;
import java.util.List;

/**
 * Answers "would the proxy allow this call?" through the same path as a call on the wire: the
 * request is turned into the bytes of the method's own message and handed to
 * {@link Authorizer#decide}, so what-if answers cannot drift from enforcement.
 *
 * <p>Requests given as JSON are parsed strictly (unknown fields are errors) into a
 * {@link DynamicMessage} of the method's input type, found in the catalog's descriptors. One
 * instance serves one policy snapshot; thread-safe.
 */
public final class Explainer {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer STRUCT_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final Authorizer authorizer;
  private final PolicySnapshot policy;

  public Explainer(Authorizer authorizer, PolicySnapshot policy) {
    this.authorizer = authorizer;
    this.policy = policy;
  }

  /**
   * Explains an admin-API request.
   *
   * @throws IllegalArgumentException when the request itself is unusable (no method, or both a
   *     principal and an API key); the message never contains the key
   */
  public Explanation explain(ExplainRequest request) {
    if (request.getMethod().isEmpty()) {
      throw new IllegalArgumentException("method is required");
    }
    if (!request.getPrincipal().isEmpty() && !request.getApiKey().isEmpty()) {
      throw new IllegalArgumentException("give principal or api_key, not both");
    }
    byte[] body = request.getRequestBase64().isEmpty()
        ? null : request.getRequestBase64().toByteArray();
    String json = null;
    if (body == null && request.hasRequest()) {
      try {
        json = STRUCT_PRINTER.print(request.getRequest());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("request cannot be printed as JSON: " + e.getMessage());
      }
    }
    return explain(request.getPrincipal(), request.getApiKey(), request.getMethod(),
        request.getNamespace(), body, json);
  }

  /**
   * Explains one call. The answer never contains {@code apiKey}, even where a parser message
   * would quote a request field that happens to hold it.
   *
   * @param principal the caller's principal id; null or empty when {@code apiKey} names it
   * @param apiKey the caller's API key secret; null or empty when none (neither: anonymous)
   * @param namespace the {@code temporal-namespace} header; null or empty when not sent
   * @param body the request in protobuf binary form; wins over {@code json}; null if none
   * @param json the request in protobuf JSON form; null (with a null body) for an empty request
   */
  public Explanation explain(String principal, String apiKey, String method, String namespace,
      byte[] body, String json) {
    Caller caller = apiKey == null || apiKey.isEmpty()
        ? Caller.principal(principal) : Caller.apiKey(apiKey);
    return explain(caller, Collections.singletonList(apiKey), method, namespace, body, json);
  }

  /**
   * Explains one call of {@code caller}, who may present a JWT, an API key or a client
   * certificate chain exactly as on the wire. The answer never contains any of {@code secrets}
   * (the bearer credential the caller holds), even where a parser message would quote it.
   *
   * <p>The caller's chain is taken as verified, as the handshake leaves it: check a chain from
   * outside (a PEM file) with {@link ClientChainCheck} first, and refuse it there when it would
   * have failed the handshake.
   */
  public Explanation explain(Caller caller, List<String> secrets, String method,
      String namespace, byte[] body, String json) {
    String header = namespace == null || namespace.isEmpty() ? null : namespace;
    byte[] bytes = body;
    CatalogEntry entry = authorizer.catalog().find(method);
    // an unknown method has no input type; the authorizer denies it whatever the body
    if (bytes == null && json != null && entry != null) {
      Descriptor type = entry.descriptor().getInputType();
      try {
        bytes = toWire(type, json);
      } catch (InvalidProtocolBufferException e) {
        Decision withoutBody = authorizer.decide(policy, caller, method, null, header);
        StatusCode status = withoutBody.status();
        if (status == StatusCode.UNAUTHENTICATED || status == StatusCode.UNAVAILABLE) {
          return Explanation.of(withoutBody); // the proxy refuses these before reading a body
        }
        String problem = e.getMessage() == null ? "a field has the wrong JSON type"
            : e.getMessage();
        problem = Json.redact(problem, secrets);
        return Explanation.invalidRequest(withoutBody, "the request JSON is not a valid "
            + type.getFullName() + ": " + problem);
      }
    }
    return Explanation.of(authorizer.decide(policy, caller, method, bytes, header));
  }

  private static byte[] toWire(Descriptor type, String json) throws InvalidProtocolBufferException {
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      PARSER.merge(json, message);
    } catch (RuntimeException e) {
      // JsonFormat reports most problems as InvalidProtocolBufferException, a few as unchecked
      throw new InvalidProtocolBufferException(e.getMessage() == null
          ? "a field has the wrong JSON type (" + e.getClass().getSimpleName() + ")"
          : e.getMessage());
    }
    return message.build().toByteArray();
  }
}
