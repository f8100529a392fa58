package dev.temporalrbac.policy.eval;

import dev.temporalrbac.policy.model.EffectiveRights;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on one call, as a value: what the proxy does, what it tells the caller, what it
 * writes to the audit log and which counter it bumps. Immutable.
 *
 * @param outcome allow or deny
 * @param reason why, from a bounded set (metric label); fixes the status
 * @param message one sentence a person can act on; never contains a secret
 * @param method the full method name as called
 * @param principal the principal decided for (a key's owner); empty when unknown
 * @param principalType {@code user}, {@code service_account}, or empty
 * @param role the principal's highest role, {@code namespace_scoped}, or empty
 * @param identifiedBy how the caller was identified: {@code api_key}, {@code jwt}, {@code mtls},
 *     {@code principal} (an operator's what-if), or empty when it was not
 * @param credentialId which credential: the API key's id, the JWT's subject, the client
 *     certificate's principal name; empty when unknown; never a secret
 * @param namespaces every namespace the call names, deduplicated, in the order found
 * @param required what the call needed, e.g. {@code namespace:write}
 * @param policyVersion version of the snapshot that decided
 * @param filterNamespaceList the response must be filtered to namespaces the caller may Read
 * @param rights the caller's rights when known (for response filtering); may be null
 */
public record Decision(
    Outcome outcome,
    Reason reason,
    String message,
    String method,
    String principal,
    String principalType,
    String role,
    String identifiedBy,
    String credentialId,
    List<String> namespaces,
    String required,
    String policyVersion,
    boolean filterNamespaceList,
    EffectiveRights rights) {

  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if ((outcome == Outcome.ALLOW) != (reason == Reason.ALLOWED)) {
      throw new IllegalArgumentException("outcome " + outcome + " with reason " + reason);
    }
    namespaces = List.copyOf(namespaces);
    Objects.requireNonNull(identifiedBy, "identifiedBy");
    Objects.requireNonNull(credentialId, "credentialId");
  }

  /** The API key's id when the caller was identified by one, else empty. */
  public String keyId() {
    return identifiedBy.equals("api_key") ? credentialId : "";
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  /** The gRPC status the proxy answers a denied call with ({@code OK} when allowed). */
  public StatusCode status() {
    return reason.status();
  }
}
