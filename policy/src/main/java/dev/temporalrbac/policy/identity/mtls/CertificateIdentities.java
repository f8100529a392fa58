package dev.temporalrbac.policy.identity.mtls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.CertificateAuthenticator;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.EffectiveRights;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.policy.model.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Names policy principals from verified TLS client certificates ({@code identity.mtls}). The
 * principal is the name of the first kind in {@link MtlsSettings#principalFrom()} the leaf
 * certificate has (a later kind is never tried once an earlier one is present, so a certificate
 * cannot pick which of its names identifies it); it must be the id of a policy user or service
 * account, and the leaf must satisfy that principal's certificate filters. When that kind is
 * ambiguous (several SPIFFE ids or common names) or unreadable, the certificate is refused rather
 * than one of its names picked; of several DNS names, the first is taken.
 *
 * <p>The chain was verified by the TLS layer against {@code tls.client_ca}; nothing here checks
 * signatures. Names are read once per certificate object and kept in a bounded cache with weak
 * keys, so the calls of one connection (which share the session's certificate) read fields, and
 * a closed connection's certificate can be collected. Thread-safe; never blocks.
 */
public final class CertificateIdentities implements CertificateAuthenticator {
  /** Certificates whose names are kept read: far more than live connections usually hold. */
  private static final long MAX_CERTIFICATES = 10_000;

  private final List<CertificateName> principalFrom;
  private final Cache<X509Certificate, CertificateNames> names =
      Caffeine.newBuilder().weakKeys().maximumSize(MAX_CERTIFICATES).build();

  public CertificateIdentities(MtlsSettings settings) {
    this.principalFrom = Objects.requireNonNull(settings, "settings").principalFrom();
  }

  @Override
  public Authentication authenticate(PolicySnapshot policy, List<X509Certificate> chain) {
    CertificateNames leaf = names.get(chain.get(0), CertificateNames::of);
    if (leaf.problem() != null) {
      return Authentication.refused(Reason.CERTIFICATE_NO_NAME, IdentifiedBy.MTLS,
          leaf.subject(), "the client certificate names no principal: " + leaf.problem());
    }
    CertificateName kind = principalKind(leaf);
    if (kind == null) {
      return Authentication.refused(Reason.CERTIFICATE_NO_NAME, IdentifiedBy.MTLS,
          leaf.subject(), "the client certificate has no " + kinds()
              + " to name a principal by (identity.mtls.principal_from)");
    }
    if (leaf.unusable(kind) != null) {
      return Authentication.refused(Reason.CERTIFICATE_NO_NAME, IdentifiedBy.MTLS,
          leaf.subject(), "the client certificate names no principal: " + leaf.unusable(kind)
              + "; it is the first kind of identity.mtls.principal_from the certificate has");
    }
    String name = leaf.name(kind);
    Principal principal = policy.principal(name);
    EffectiveRights rights = principal == null ? null : policy.rightsOf(name);
    if (rights == null) {
      return Authentication.refused(Reason.CERTIFICATE_UNKNOWN_PRINCIPAL, IdentifiedBy.MTLS,
          name, "the client certificate names " + name + ", which is not a user or service"
              + " account in the policy (version " + policy.version() + ")");
    }
    String mismatch = FilterMatch.mismatch(principal.certificateFilters(), leaf);
    if (mismatch != null) {
      return Authentication.refused(Reason.CERTIFICATE_FILTER_MISMATCH, IdentifiedBy.MTLS,
          name, "the client certificate names " + name + " but matches none of its "
              + "certificate_filters (fields that differ: " + mismatch + ")");
    }
    return Authentication.of(rights, IdentifiedBy.MTLS, name);
  }

  /**
   * The first kind of {@code principal_from} that {@code leaf} carries, usable or not (an
   * ambiguous name stops the search rather than letting a later kind name the caller); null when
   * it carries none.
   */
  private CertificateName principalKind(CertificateNames leaf) {
    for (CertificateName kind : principalFrom) {
      if (leaf.name(kind) != null || leaf.unusable(kind) != null) {
        return kind;
      }
    }
    return null;
  }

  /** The kinds looked for, for messages: e.g. {@code "spiffe, dns or cn name"}. */
  private String kinds() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < principalFrom.size(); i++) {
      if (i > 0) {
        text.append(i == principalFrom.size() - 1 ? " or " : ", ");
      }
      text.append(principalFrom.get(i).settingName());
    }
    return text.append(" name").toString();
  }
}
