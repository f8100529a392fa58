package dev.temporalrbac.policy.eval;

import static dev.temporalrbac.policy.eval.Fixtures.AUTHORIZER;
import static dev.temporalrbac.policy.eval.Fixtures.CLOUD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forms a caller takes and how decisions name it: anonymous for every empty form, the
 * credential of a Bearer header in any case, what {@code toString} says for each form (never the
 * secret), and the "who" of deny messages for each way of being identified. Also the namespaces
 * a decision lists: distinct, non-empty, in order of first mention.
 */
class CallerFormsTest {
  /** A self-signed certificate; only its presence matters here. */
  private static final String PEM =
      "-----BEGIN CERTIFICATE-----\n"
      + "MIIBgjCCASmgAwIBAgIUUpxaHB7moZju2pkO+7YR5d8YhwcwCgYIKoZIzj0EAwIw\n"
      + "FjEUMBIGA1UEAwwLY2FsbGVyLXRlc3QwIBcNMjYxMjAxMTYxNDQwWhgPMjEyNjEx\n"
      + "MDcxNjE0NDBaMBYxFDASBgNVBAMMC2NhbGxlci10ZXN0MFkwEwYHKoZIzj0CAQYI\n"
      + "KoZIzj0DAQcDQgAE5beq6cH0Pn+An4Et1u/jGZs4/QIskYBl9er0MC0nVKTDY4or\n"
      + "XqbzZTreaK7R6LLAHjW/4TVBe6y/opLMJtGW4KNTMFEwHQYDVR0OBBYEFIh1k64K\n"
      + "WKCS7D9DjmvHBHEXf/xzMB8GA1UdIwQYMBaAFIh1k64KWKCS7D9DjmvHBHEXf/xz\n"
      + "MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgeGXO/qLEnGt2dK1D\n"
      + "S7OFbG7zhoHGD7CcD05+hyHkXHcCIFSYZTJ4LzP9svkEhdzG8nfn7+9Vy7hCNbxL\n"
      + "xInzTeR1\n"
      + "-----END CERTIFICATE-----\n";
  private static final String SECRET = "s3cr3t-not-to-be-printed";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

  private final PolicySnapshot policy = Fixtures.policy()
      .user("viewer", "read_only").keyFor("viewer").user("admin", "global_admin").build();

  private static X509Certificate certificate() throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(PEM.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void everyEmptyFormIsTheAnonymousCaller() {
    assertSame(Caller.anonymous(), Caller.apiKey(null));
    assertSame(Caller.anonymous(), Caller.apiKey(""));
    assertSame(Caller.anonymous(), Caller.bearer(null));
    assertSame(Caller.anonymous(), Caller.principal(null));
    assertSame(Caller.anonymous(), Caller.principal(""));
    assertSame(Caller.anonymous(), Caller.fromRequest(List.of(), List.of()));
  }

  @Test
  void theSchemeIsReadInAnyCaseAndOnlyTheBearerScheme() {
    assertEquals("abc", Caller.credential("BEARER abc"));
    assertEquals("abc", Caller.credential("bearer    abc  "));
    assertNull(Caller.credential("Bearez abc"));
    assertNull(Caller.credential("Bearerx abc"));
    assertNull(Caller.credential("Beare abc"));
  }

  @Test
  void toStringNamesTheFormAndNeverTheSecret() throws Exception {
    List<X509Certificate> chain = List.of(certificate());
    List<String> forms = new ArrayList<>();
    forms.add(Caller.fromRequest(List.of("Bearer " + SECRET), chain).toString());
    forms.add(Caller.fromRequest(List.of("Bearer " + SECRET), List.of()).toString());
    forms.add(Caller.fromRequest(List.of("Basic " + SECRET), chain).toString());
    forms.add(Caller.fromRequest(List.of("Basic " + SECRET), List.of()).toString());
    forms.add(Caller.fromRequest(List.of("Bearer " + SECRET, "Bearer x"), chain).toString());
    forms.add(Caller.fromRequest(List.of("Bearer " + SECRET, "Bearer x"), List.of()).toString());
    forms.add(Caller.fromRequest(List.of(), chain).toString());
    forms.add(Caller.principal("viewer").toString());
    forms.add(Caller.anonymous().toString());
    assertEquals(List.of(
        "Caller[bearer credential with client certificate]",
        "Caller[bearer credential]",
        "Caller[malformed authorization with client certificate]",
        "Caller[malformed authorization]",
        "Caller[2 credentials with client certificate]",
        "Caller[2 credentials]",
        "Caller[client certificate]",
        "Caller[principal viewer]",
        "Caller[anonymous]"), forms);
    for (String form : forms) {
      assertFalse(form.contains(SECRET), form);
    }
  }

  @Test
  void aDenyNamesHowTheCallerWasIdentified() throws Exception {
    String getUsage = CLOUD + "GetUsage";
    Decision byPrincipal = AUTHORIZER.decide(policy, Caller.principal("viewer"), getUsage, null,
        null);
    assertTrue(byPrincipal.message().startsWith("viewer (read_only) may not call"),
        byPrincipal::message);

    Decision byKey = Fixtures.withKeyOf(policy, "viewer", getUsage, null);
    assertTrue(byKey.message().startsWith(
        "viewer (read_only, by API key " + Fixtures.keyIdOf("viewer") + ") may not call"),
        byKey::message);

    TokenAuthenticator tokens = (snapshot, token) ->
        Authentication.of(snapshot.rightsOf("viewer"), IdentifiedBy.JWT, "viewer-subject");
    CertificateAuthenticator certificates = (snapshot, chain) ->
        Authentication.of(snapshot.rightsOf("viewer"), IdentifiedBy.MTLS, "viewer-cert");
    Authorizer authorizer = new Authorizer(Fixtures.CATALOG,
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Identities(tokens, certificates));

    Decision byJwt = authorizer.decide(policy, Caller.bearer(JWT), getUsage, null, null);
    assertTrue(byJwt.message().startsWith(
        "viewer (read_only, by JWT subject viewer-subject) may not call"), byJwt::message);
    assertEquals("jwt", byJwt.identifiedBy());

    Decision byCertificate = authorizer.decide(policy, Caller.fromRequest(List.of(), List.of(certificate())),
        getUsage, null, null);
    assertTrue(byCertificate.message().startsWith(
        "viewer (read_only, by client certificate viewer-cert) may not call"),
        byCertificate::message);
    assertEquals("mtls", byCertificate.identifiedBy());
    assertEquals("", byCertificate.keyId());
  }

  @Test
  void aDecisionListsEachNamespaceOnceInOrderOfFirstMention() {
    List<String> headers = new ArrayList<>(List.of("", "a", "a", "b", "a", "c", "b", ""));
    List<String> expected = new ArrayList<>(List.of("body-ns", "a", "b", "c"));
    for (int i = 0; i < 12; i++) {
      headers.add("n" + i);
      headers.add("a");
      headers.add("n" + i);
      expected.add("n" + i);
    }
    String start = Fixtures.WF + "StartWorkflowExecution";
    Decision decision = AUTHORIZER.decideWithHeaders(policy, Caller.principal("admin"), start,
        Fixtures.withNamespace(start, "body-ns"), headers);
    assertTrue(decision.allowed(), decision::message);
    assertEquals(expected, decision.namespaces());
  }

  @Test
  void credentialsGoWhereTheirKindAndTheAcceptedIdentitiesSay() throws Exception {
    String getUser = CLOUD + "GetUser";
    List<X509Certificate> chain = List.of(certificate());
    // API keys only: a certificate or a JWT-shaped bearer identifies nobody
    Decision certificateOnly = AUTHORIZER.decide(policy, Caller.fromRequest(List.of(), chain), getUser, null,
        null);
    assertEquals(Reason.NO_CREDENTIALS, certificateOnly.reason(), certificateOnly::message);
    Decision jwtShaped = AUTHORIZER.decide(policy, Caller.bearer(JWT), getUser, null, null);
    assertEquals(Reason.UNKNOWN_KEY, jwtShaped.reason(), jwtShaped::message);

    TokenAuthenticator tokens = new TokenAuthenticator() {
      @Override
      public Authentication authenticate(PolicySnapshot snapshot, String token) {
        return Authentication.of(snapshot.rightsOf("admin"), IdentifiedBy.JWT, "token-subject");
      }

      @Override
      public byte[] rememberedDigest(String token) {
        return token.equals("remembered-opaque-token") ? sha256(token) : null;
      }
    };
    Authorizer withTokens = new Authorizer(Fixtures.CATALOG,
        Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Identities(tokens, null));
    Decision key = Fixtures.withKeyOf(policy, "viewer", getUser, null);
    Decision keyWithTokens = withTokens.decide(policy,
        Caller.apiKey(Fixtures.secretOf("viewer")), getUser, null, null);
    assertEquals(key.principal(), keyWithTokens.principal());
    assertEquals("api_key", keyWithTokens.identifiedBy());
    Decision remembered = withTokens.decide(policy, Caller.bearer("remembered-opaque-token"),
        getUser, null, null);
    assertEquals("jwt", remembered.identifiedBy(), remembered::message);
    assertEquals("admin", remembered.principal());
    Decision unknownOpaque = withTokens.decide(policy, Caller.bearer("opaque-unknown"), getUser,
        null, null);
    assertEquals(Reason.UNKNOWN_KEY, unknownOpaque.reason(), unknownOpaque::message);
    Decision noCertificates = withTokens.decide(policy, Caller.fromRequest(List.of(), chain), getUser, null,
        null);
    assertEquals(Reason.NO_CREDENTIALS, noCertificates.reason(), noCertificates::message);
    assertTrue(noCertificates.message().contains("api key or JWT"), noCertificates::message);
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
