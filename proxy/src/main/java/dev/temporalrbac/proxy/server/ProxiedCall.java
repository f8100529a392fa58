package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.util.Timeout;
import io.grpc.netty.shaded.io.netty.util.TimerTask;
import java.util.ArrayList;
import java.util.List;

/**
 * One call through the proxy. It asks the caller for the first request message, decides on its
 * bytes, and only then opens the upstream call; a denied call is answered here and nothing of it
 * is sent upstream. After that, messages, headers, trailers and status pass through unchanged.
 *
 * <p>Shape: a unary or server-streaming method takes exactly one request message. Its message is
 * decided at once but held until the end of stream, and only then is the upstream call opened,
 * so a call of the wrong shape never opens one: a second message ends the call INTERNAL "Too
 * many requests", an end of stream before the message INTERNAL "Half-closed without a request",
 * as grpc-java's own servers answer. Other shapes (and methods outside the catalog) may send any
 * number of messages, each forwarded as it comes.
 *
 * <p>Memory: before asking the caller for a message, the call reserves room for a whole one in
 * the {@link RequestBudget}; it is refused RESOURCE_EXHAUSTED when none is left. Once the message is in (for one-message methods: once
 * the request has ended) the room shrinks to the message's size, and it is given back when the
 * upstream call has taken the message (it is ready for more, or answers) or the call ends, so a
 * slow or unreachable upstream holds the budget instead of growing the heap. The request must
 * arrive within {@code limits.first_message_timeout} (for one-message methods: the message and
 * the end of stream), or the call ends DEADLINE_EXCEEDED. A call without a usable credential on a
 * method that needs one is refused at its headers, before anything is reserved or read.
 *
 * <p>Shadow policy: when one is configured ({@link ShadowPolicy}), each decision is reported with
 * the shadow policy's decision of the same call; only the enforced decision acts. The shadow's
 * decision is made before the enforced one is acted on, so it adds one in-memory decision to each
 * call's latency (see {@link ShadowPolicy}). A call refused at its headers is refused there
 * exactly as without one (same status, nothing reserved or read); a caller the shadow policy would
 * authenticate is reported undecided, its body never waited for.
 *
 * <p>Flow control: at most one message is requested from a side that the other side is not
 * ready to take, so a slow reader slows the writer instead of filling the proxy's memory.
 *
 * <p>Threading: every event of both halves, and the request timer, runs through one
 * {@link CallSerializer}, so the fields below are only touched by one thread at a time and need
 * no lock. {@link #start} runs before any event can arrive.
 */
final class ProxiedCall implements TimerTask {
  private static final byte[] EMPTY = new byte[0];
  private static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  private final Forwarder forwarder;
  private final MethodDescriptor<byte[], byte[]> method;
  private final ServerCall<byte[], byte[]> downstream;
  private final Metadata headers;
  private final CallInfo info;
  private final Deadline deadline;
  private final boolean singleRequest;
  /** The method is open to any caller (a credential is not needed to decide it). */
  private final boolean openToAnyone;
  private final CallSerializer serial = new CallSerializer();
  private final RequestHold hold;

  private ClientCall<byte[], byte[]> upstream;
  private Caller caller;
  private Decision decision;
  /** A one-message call's request, decided and held until its end of stream. */
  private byte[] request;
  private boolean closed;
  private boolean downstreamRequestPending;
  private boolean upstreamRequestPending;
  /** The message sent upstream is still held in the budget until the upstream takes it. */
  private boolean releaseWhenTaken;
  private long upstreamStart;

  ProxiedCall(Forwarder forwarder, MethodDescriptor<byte[], byte[]> method,
      ServerCall<byte[], byte[]> downstream, Metadata headers, CallInfo info, Deadline deadline,
      boolean openToAnyone) {
    this.forwarder = forwarder;
    this.method = method;
    this.downstream = downstream;
    this.headers = headers;
    this.info = info;
    this.deadline = deadline;
    this.openToAnyone = openToAnyone;
    this.hold = new RequestHold(forwarder.budget());
    MethodType type = method.getType();
    this.singleRequest = type == MethodType.UNARY || type == MethodType.SERVER_STREAMING;
  }

  /** Starts reading the caller's first message; returns the listener for the server call. */
  ServerCall.Listener<byte[]> start() {
    if (refusedAtHeaders()) {
      return new DownstreamListener();
    }
    if (reserve()) {
      downstream.request(1);
      hold.await(this, forwarder.firstMessageTimeout());
    }
    return new DownstreamListener();
  }

  /**
   * Refuses, before anything is reserved or read, a call whose answer cannot depend on its body:
   * one on a method that needs a credential whose caller does not authenticate (no credential,
   * several, not {@code Bearer <credential>}, an unknown, disabled or expired key, a token or
   * certificate refused). Only when enforcing: a dry run forwards it, so it is decided on its
   * body. A shadow policy changes nothing here: it is only told of the refusal.
   */
  private boolean refusedAtHeaders() {
    if (openToAnyone || forwarder.mode() != EnforcementMode.ENFORCE) {
      return false;
    }
    long started = System.nanoTime();
    Decision refusal;
    try {
      refusal = forwarder.decider().refusalAtHeaders(forwarder.policy().current(), caller(),
          method.getFullMethodName());
    } catch (RuntimeException e) {
      return !failed(e);
    }
    if (refusal == null) {
      return false;
    }
    forwarder.observer().decisionTime(System.nanoTime() - started);
    ShadowPolicy shadow = forwarder.shadow();
    if (shadow == null) {
      forwarder.observer().decided(refusal, info, true);
    } else {
      shadow.reportRefusal(refusal, caller(), info);
    }
    if (settle(refusal)) {
      decision = null; // not expected (a refusal allows nothing): decide again on the body
      return false;
    }
    return true;
  }

  /** The request timer fired (on the timer's thread). */
  @Override
  public void run(Timeout timeout) {
    serial.execute(() -> {
      if (hold.awaiting() && !closed) {
        reject(Refusals.requestLate(forwarder.firstMessageTimeout()),
            Rejection.FIRST_MESSAGE_TIMEOUT);
      }
    });
  }

  private void onDownstreamMessage(byte[] message) {
    if (closed) {
      return;
    }
    if (RawMarshaller.tooLarge(message)) {
      reject(Refusals.requestTooLarge(forwarder.budget().perRequest()),
          Rejection.REQUEST_TOO_LARGE);
      return;
    }
    if (decision != null && singleRequest) {
      reject(Refusals.tooManyRequests(method.getFullMethodName()), Rejection.TOO_MANY_REQUESTS);
      return;
    }
    if (decision != null) {
      upstream.sendMessage(message);
    } else if (!decide(message)) {
      return;
    } else if (singleRequest) {
      // held within this call's whole reservation (the next read may bring a second message)
      // until the end of stream proves it is the only one
      request = message;
      downstream.request(1);
      return;
    } else {
      hold.arrived();
      if (!openUpstream()) {
        return;
      }
      upstream.sendMessage(message);
    }
    hold.shrinkTo(message.length);
    if (upstream.isReady()) { // read once: the room and the next request follow the same answer
      hold.release();
      requestNextMessage();
    } else {
      releaseWhenTaken = true;
      downstreamRequestPending = true;
    }
  }

  /** The upstream has taken what was sent (it is ready, or answers): its room is given back. */
  private void taken() {
    if (releaseWhenTaken) {
      releaseWhenTaken = false;
      hold.release();
    }
  }

  private void onDownstreamHalfClose() {
    if (closed) {
      return;
    }
    hold.arrived();
    if (decision == null) {
      hold.release();
      if (singleRequest) {
        reject(Refusals.missingRequest(method.getFullMethodName()), Rejection.MISSING_REQUEST);
        return;
      }
      if (!decide(EMPTY) || !openUpstream()) {
        return;
      }
      upstream.halfClose();
    } else if (singleRequest) {
      hold.shrinkTo(request.length);
      if (!openUpstream()) {
        return;
      }
      upstream.sendMessage(request);
      request = null;
      upstream.halfClose();
      if (ConnectTimeout.waitsForConnection(upstream)) {
        // no connection yet: the message waits in memory (at most upstream.connect_timeout), so
        // its room stays held until the upstream answers or the call ends
        releaseWhenTaken = true;
      } else {
        // a connected upstream takes it now (gRPC tells a half-closed one-message call nothing
        // more until it answers, and a long poll must not hold budget for its whole wait)
        hold.release();
      }
    } else {
      if (!releaseWhenTaken) {
        hold.release(); // room asked for a next message that never came
      }
      upstream.halfClose();
    }
  }

  /** Decides on the first message; false when the call was answered here (denied or failed). */
  private boolean decide(byte[] body) {
    long started = System.nanoTime();
    Decision decided;
    List<String> headerNamespaces = headerValues(NAMESPACE_HEADER);
    try {
      decided = forwarder.decider().decide(forwarder.policy().current(), caller(),
          method.getFullMethodName(), body, headerNamespaces);
    } catch (RuntimeException e) {
      return failed(e);
    }
    forwarder.observer().decisionTime(System.nanoTime() - started);
    boolean enforce = forwarder.mode() == EnforcementMode.ENFORCE;
    ShadowPolicy shadow = forwarder.shadow();
    if (shadow == null) {
      forwarder.observer().decided(decided, info, enforce);
    } else {
      shadow.report(decided, enforce, caller(), body, headerNamespaces, info);
    }
    return settle(decided);
  }

  /** The decider threw: the call ends INTERNAL, unforwarded. Returns false. */
  private boolean failed(RuntimeException e) {
    closeDownstream(Status.INTERNAL.withDescription(
        "the proxy could not decide this call, so it was not forwarded").withCause(e));
    return false;
  }

  /**
   * Takes {@code decided} (already observed) as the call's decision; answers a denial when
   * enforcing. False when the call was answered here.
   */
  private boolean settle(Decision decided) {
    decision = decided;
    if (!decision.allowed() && forwarder.mode() == EnforcementMode.ENFORCE) {
      closeDownstream(Refusals.denied(decision));
      return false;
    }
    return true;
  }

  /**
   * Opens the upstream call with the headers to send; false when they could not be made (a
   * minted credential failed to sign), in which case the call has ended INTERNAL, unforwarded.
   */
  private boolean openUpstream() {
    Metadata upstreamHeaders;
    try {
      upstreamHeaders = forwarder.credentials().upstreamHeaders(headers, decision);
    } catch (RuntimeException e) {
      return failed(e);
    }
    CallOptions options = CallOptions.DEFAULT.withExecutor(serial);
    if (deadline != null) {
      options = options.withDeadline(deadline);
    }
    upstream = forwarder.upstream().newCall(method, options);
    upstreamStart = System.nanoTime();
    upstream.start(new UpstreamListener(), upstreamHeaders);
    upstream.request(1);
    return true;
  }

  /** The caller as its headers and connection present it; read once, at its first use. */
  private Caller caller() {
    if (caller == null) {
      caller = Caller.fromRequest(headerValues(UpstreamCredentials.AUTHORIZATION),
          forwarder.clientCertificates() ? PeerCertificates.of(downstream) : List.of());
    }
    return caller;
  }

  /** Every value of a header, in order; empty when absent. */
  private List<String> headerValues(Metadata.Key<String> key) {
    Iterable<String> values = headers.getAll(key);
    if (values == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>(1);
    values.forEach(all::add);
    return all;
  }

  private void requestNextMessage() {
    if (reserve()) {
      downstream.request(1);
    }
  }

  /** Reserves room for one request message, or ends the call RESOURCE_EXHAUSTED. */
  private boolean reserve() {
    if (hold.reserve()) {
      return true;
    }
    reject(Refusals.budgetSpent(forwarder.budget().capacity()), Rejection.REQUEST_BUDGET);
    return false;
  }

  private void onUpstreamMessage(byte[] message) {
    if (closed) {
      return;
    }
    if (RawMarshaller.tooLarge(message)) {
      reject(Refusals.responseTooLarge(), Rejection.RESPONSE_TOO_LARGE);
      return;
    }
    byte[] out = message;
    if (decision.filterNamespaceList() && decision.rights() != null) {
      try {
        out = NamespaceListFilter.filter(message, decision.rights());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        upstream.cancel("unreadable ListNamespaces response", e);
        closeDownstream(Status.INTERNAL.withDescription(
            "the upstream's ListNamespaces response could not be filtered, so it was withheld"));
        return;
      }
    }
    downstream.sendMessage(out);
    if (downstream.isReady()) {
      upstream.request(1);
    } else {
      upstreamRequestPending = true;
    }
  }

  private void onUpstreamClose(Status status, Metadata trailers) {
    forwarder.observer().upstreamClosed(info, status.getCode(), System.nanoTime() - upstreamStart);
    if (!closed) {
      ended();
      downstream.close(status, trailers);
    }
  }

  /** Ends the call here for {@code why}: counted, cancelled upstream if open, answered. */
  private void reject(Status status, Rejection why) {
    forwarder.observer().callRejected(info, why);
    if (upstream != null) {
      upstream.cancel(status.getDescription(), null);
    }
    closeDownstream(status);
  }

  private void closeDownstream(Status status) {
    if (!closed) {
      ended();
      downstream.close(status, new Metadata());
    }
  }

  /** The call is over: nothing more is read, the budget and the timer are let go. */
  private void ended() {
    closed = true;
    request = null;
    hold.end();
  }

  private final class DownstreamListener extends ServerCall.Listener<byte[]> {
    @Override
    public void onMessage(byte[] message) {
      serial.execute(() -> onDownstreamMessage(message));
    }

    @Override
    public void onHalfClose() {
      serial.execute(ProxiedCall.this::onDownstreamHalfClose);
    }

    @Override
    public void onCancel() {
      serial.execute(() -> {
        ended();
        if (upstream != null) {
          upstream.cancel("the caller cancelled the call", null);
        }
      });
    }

    @Override
    public void onReady() {
      serial.execute(() -> {
        if (upstreamRequestPending && !closed && downstream.isReady()) {
          upstreamRequestPending = false;
          upstream.request(1);
        }
      });
    }
  }

  private final class UpstreamListener extends ClientCall.Listener<byte[]> {
    @Override
    public void onHeaders(Metadata responseHeaders) {
      taken();
      if (!closed) {
        downstream.sendHeaders(responseHeaders);
      }
    }

    @Override
    public void onMessage(byte[] message) {
      taken();
      onUpstreamMessage(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onUpstreamClose(status, trailers);
    }

    @Override
    public void onReady() {
      if (!upstream.isReady()) { // read once, as where the message was sent
        return;
      }
      taken();
      if (downstreamRequestPending && !closed) {
        downstreamRequestPending = false;
        requestNextMessage();
      }
    }
  }
}
