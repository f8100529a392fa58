package dev.temporalrbac.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authentication;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import dev.temporalrbac.policy.eval.IdentifiedBy;
import dev.temporalrbac.policy.eval.Identities;
import dev.temporalrbac.policy.eval.Reason;
import dev.temporalrbac.policy.model.PolicySnapshot;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call the enforced policy refuses at its headers, with a shadow policy loaded: refused at once
 * exactly as without one (nothing read, reserved or awaited), the shadow's view only reported,
 * and a token that fails verification verified once.
 */
class ShadowAtHeadersTest {
  /** JWT-shaped bearer values (header {"alg":"RS256"}); the token authenticator refuses them. */
  private static final String BAD_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
  private static final String JWT_SHAPED_KEY = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrZXkifQ.a2V5";

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger bodiesDecided = new AtomicInteger();
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicInteger arrived = new AtomicInteger();
  private final Identities badTokens = new Identities((policy, jwt) -> {
    verifications.incrementAndGet();
    return Authentication.refused(Reason.TOKEN_BAD_SIGNATURE, IdentifiedBy.JWT, "",
        "the JWT's signature does not verify");
  }, null);
  private PolicySnapshot shadowSnapshot;
  private final InProcessHops hops = new InProcessHops();
  private ManagedChannel toProxy;

  /** Records what the observer is told, one line per report. */
  private final CallObserver observer = new CallObserver() {
    @Override
    public void decided(Decision decision, CallInfo call, boolean enforced) {
      events.add("decided " + decision.reason().label() + " enforced=" + enforced);
    }

    @Override
    public void decidedWithShadow(Decision decision, Decision shadow, CallInfo call,
        boolean enforced) {
      events.add("with shadow " + decision.reason().label() + "/" + shadow.reason().label()
          + (shadow.policyVersion().equals(shadowSnapshot.version()) ? " (asked)" : ""));
    }

    @Override
    public void shadowUndecided(Decision decision, CallInfo call) {
      events.add("undecided " + decision.reason().label());
    }

    @Override
    public void shadowFailed(CallInfo call) {
      events.add("shadow failed");
    }

    @Override
    public void callRejected(CallInfo call, Rejection reason) {
      events.add("rejected " + reason);
    }

    @Override
    public void upstreamClosed(CallInfo call, Status.Code code, long nanos) {}

    @Override
    public void decisionTime(long nanos) {}
  };

  private static Decider production(Identities identities) {
    return Decider.of(new Authorizer(MethodCatalog.load(), Clock.systemUTC(), identities));
  }

  private void start(Identities identities, String shadowYaml, EnforcementMode mode)
      throws Exception {
    start(production(identities), shadowYaml, mode);
  }

  /** Starts the proxy; {@code decider} decides, each decision on a body counted. */
  private void start(Decider decider, String shadowYaml, EnforcementMode mode) throws Exception {
    Decider counting = new Decider() {
      @Override
      public Decision decide(PolicySnapshot policy, Caller caller, String fullMethod,
          byte[] body, List<String> headerNamespaces) {
        bodiesDecided.incrementAndGet();
        return decider.decide(policy, caller, fullMethod, body, headerNamespaces);
      }

      @Override
      public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String method) {
        return decider.refusalAtHeaders(policy, caller, method);
      }

      @Override
      public boolean refusalHoldsUnder(PolicySnapshot other, Caller caller, Decision refusal) {
        return decider.refusalHoldsUnder(other, caller, refusal);
      }
    };
    ManagedChannel toUpstream = hops.startUpstream(b -> b.fallbackHandlerRegistry(
        new io.grpc.HandlerRegistry() {
          @Override
          public io.grpc.ServerMethodDefinition<?, ?> lookupMethod(String method, String auth) {
            arrived.incrementAndGet();
            return null;
          }
        }));
    shadowSnapshot = ProxyFixture.parse(shadowYaml);
    // first_message_timeout far beyond the call's deadline: a call that waited for its body
    // would end DEADLINE_EXCEEDED, not be refused at once
    toProxy = hops.startProxy(new ForwardingRegistry(MethodCatalog.load(), counting,
        new PolicyHolder(ProxyFixture.parse(ShadowPolicyTest.ENFORCED)),
        new PolicyHolder(shadowSnapshot), toUpstream, UpstreamCredentials.passthrough(), mode,
        observer, ProxyFixture.limits(Map.of("first-message-timeout", "10m")), false));
  }

  @AfterEach
  void stop() {
    hops.close();
  }

  /** A StartWorkflowExecution call that sends its headers and never a body; its final status. */
  private Status callWithoutBody(String bearer) throws Exception {
    return call(bearer, null);
  }

  /** A StartWorkflowExecution call with {@code body}, if not null; its final status. */
  private Status call(String bearer, byte[] body) throws Exception {
    ClientCall<byte[], byte[]> call = toProxy.newCall(
        ProxyFixture.method(ProxyFixture.START, MethodType.UNARY),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, ProxyFixture.auth(bearer));
    call.request(1);
    if (body != null) {
      call.sendMessage(body);
      call.halfClose();
    }
    return closed.get(30, TimeUnit.SECONDS);
  }

  private static String sha256Hex(String secret) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aKeyOnlyTheShadowKnowsIsRefusedAtOnceAndReportedUndecided() throws Exception {
    start(Identities.apiKeysOnly(), ShadowPolicyTest.SHADOW, EnforcementMode.ENFORCE);
    Status status = callWithoutBody(ShadowPolicyTest.SHADOW_ONLY_KEY);
    assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(),
        "refused at its headers, not left waiting for its body: " + status);
    assertEquals(List.of("undecided unknown_key"), events, "no budget, no timer, no rejection");
    assertEquals(0, bodiesDecided.get(), "its body is never read");
    assertEquals(0, arrived.get());
  }

  @Test
  void aCallerUnknownToBothIsRefusedAtOnceAndReportedSame() throws Exception {
    start(Identities.apiKeysOnly(), ShadowPolicyTest.SHADOW, EnforcementMode.ENFORCE);
    assertEquals(Status.Code.UNAUTHENTICATED, callWithoutBody("tok-unknown-to-both").getCode());
    assertEquals(List.of("with shadow unknown_key/unknown_key (asked)"), events,
        "an unknown key depends on the policy: the shadow is asked, and refuses too");
    assertEquals(0, bodiesDecided.get());
  }

  @Test
  void aTokenRefusedForItsSignatureIsVerifiedOnce() throws Exception {
    start(badTokens, ShadowPolicyTest.SHADOW, EnforcementMode.ENFORCE);
    assertEquals(Status.Code.UNAUTHENTICATED, callWithoutBody(BAD_TOKEN).getCode());
    assertEquals(1, verifications.get(), "the shadow policy shares the identity settings");
    assertEquals(List.of("with shadow token_bad_signature/token_bad_signature"), events);
  }

  @Test
  void aTokenRefusedForItsSignatureIsVerifiedOnceInADryRunToo() throws Exception {
    start(badTokens, ShadowPolicyTest.SHADOW, EnforcementMode.DRY_RUN);
    call(BAD_TOKEN, new byte[0]);
    assertEquals(1, verifications.get());
    assertEquals(1, bodiesDecided.get(), "decided on its body under the enforced policy only");
    assertEquals(List.of("with shadow token_bad_signature/token_bad_signature"), events);
    assertEquals(1, arrived.get(), "a dry run forwards it");
  }

  @Test
  void aJwtShapedKeyOnlyTheShadowHoldsIsAskedOfTheShadowAndReportedUndecided()
      throws Exception {
    String shadow = ShadowPolicyTest.SHADOW + String.join("\n",
        "  - id: k3",
        "    owner: dev@example.com",
        "    sha256: " + sha256Hex(JWT_SHAPED_KEY),
        "");
    start(badTokens, shadow, EnforcementMode.ENFORCE);
    assertEquals(Status.Code.UNAUTHENTICATED, callWithoutBody(JWT_SHAPED_KEY).getCode());
    assertEquals(List.of("undecided token_bad_signature"), events,
        "the shadow policy finds it as an API key (by its hash, before any token check)");
    assertEquals(1, verifications.get());
  }

  @Test
  void aShadowThatThrowsAtHeadersIsCountedAndTheRefusalStands() throws Exception {
    Decider production = production(Identities.apiKeysOnly());
    Decider broken = new Decider() {
      @Override
      public Decision decide(PolicySnapshot policy, Caller caller, String fullMethod,
          byte[] body, List<String> headerNamespaces) {
        return production.decide(policy, caller, fullMethod, body, headerNamespaces);
      }

      @Override
      public Decision refusalAtHeaders(PolicySnapshot policy, Caller caller, String method) {
        if (policy == shadowSnapshot) {
          throw new IllegalStateException("broken shadow");
        }
        return production.refusalAtHeaders(policy, caller, method);
      }
    };
    start(broken, ShadowPolicyTest.SHADOW, EnforcementMode.ENFORCE);
    assertEquals(Status.Code.UNAUTHENTICATED,
        callWithoutBody(ShadowPolicyTest.SHADOW_ONLY_KEY).getCode());
    assertEquals(List.of("shadow failed", "decided unknown_key enforced=true"), events);
    assertEquals(0, bodiesDecided.get());
    assertEquals(0, arrived.get());
  }
}
