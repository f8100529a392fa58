package dev.temporalrbac.proxy.explain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.proto.v1.ExplainResponse;
import dev.temporalrbac.proto.v1.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * An answer to a what-if question: the {@link ExplainResponse} the admin API would return, plus
 * what the proto does not carry: the machine-readable reason code (a {@link Reason} label) and
 * how the caller was identified.
 *
 * @param reasonCode e.g. {@code missing_namespace_permission}; the same label the metrics use
 * @param identifiedBy {@code api_key}, {@code jwt}, {@code mtls}, {@code principal}, or empty
 * @param credentialId the API key's id, the JWT's subject or the certificate's name; never a
 *     secret; may be empty
 */
public record Explanation(ExplainResponse response, String reasonCode, String identifiedBy,
    String credentialId) {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .omittingInsignificantWhitespace()
      .preservingProtoFieldNames()
      .alwaysPrintFieldsWithNoPresence();

  /** The answer for a decision of the {@link dev.temporalrbac.policy.eval.Authorizer}. */
  public static Explanation of(Decision decision) {
    return new Explanation(base(decision)
        .setDecision(decision.allowed() ? Outcome.ALLOW : Outcome.DENY)
        .setStatus(decision.status().name())
        .setReason(decision.message())
        .addAllNamespaces(decision.namespaces())
        .build(), decision.reason().label(), decision.identifiedBy(), decision.credentialId());
  }

  /**
   * A denial for a request that could not be turned into the method's message; the caller fields
   * come from {@code identity}, a decision of the same call made without a body.
   */
  static Explanation invalidRequest(Decision identity, String reason) {
    return new Explanation(base(identity)
        .setDecision(Outcome.DENY)
        .setStatus(Reason.MALFORMED_REQUEST.status().name())
        .setReason(reason)
        .build(), Reason.MALFORMED_REQUEST.label(), identity.identifiedBy(),
        identity.credentialId());
  }

  private static ExplainResponse.Builder base(Decision decision) {
    return ExplainResponse.newBuilder()
        .setPrincipal(decision.principal())
        .setMethod(decision.method())
        .setRequired(decision.required())
        .setPrincipalType(decision.principalType())
        .setRole(decision.role())
        .setPolicyVersion(decision.policyVersion());
  }

  public boolean allowed() {
    return response.getDecision() == Outcome.ALLOW;
  }

  /**
   * One line of JSON: the response's fields under their proto names, every field present (empty
   * strings and arrays included, so consumers need no defaults), then {@code reason_code},
   * {@code identified_by} and {@code credential_id}. Protobuf's printer writes the proto's part;
   * Jackson copies it token by token and adds the three fields, so nothing is spliced as text.
   */
  public String toJson() {
    String proto;
    try {
      proto = PRINTER.print(response);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("ExplainResponse has no Any field to fail on", e);
    }
    StringWriter out = new StringWriter(proto.length() + 128);
    try (JsonParser in = Json.factory().createParser(proto);
        JsonGenerator json = Json.factory().createGenerator(out)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("protobuf printed no JSON object: " + proto);
      }
      json.writeStartObject();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        json.copyCurrentStructure(in); // the name, then its whole value
      }
      json.writeStringField("reason_code", reasonCode);
      json.writeStringField("identified_by", identifiedBy);
      json.writeStringField("credential_id", credentialId);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string does not fail", e);
    }
    return out.toString();
  }
}
