package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import dev.temporalrbac.policy.eval.Decision;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * One call through the proxy. It asks the caller for the first request message, decides on its
 * bytes, and only then opens the upstream call; a denied call is answered here and nothing of it
 * is sent upstream. After that, messages, headers, trailers and status pass through unchanged.
 *
 * <p>Flow control: at most one message is requested from a side that the other side is not
 * ready to take, so a slow reader slows the writer instead of filling the proxy's memory.
 *
 * <p>Threading: every event of both halves runs through one {@link CallSerializer}, so the
 * fields below are only touched by one thread at a time and need no lock.
 */
final class ProxiedCall {
  private static final byte[] EMPTY = new byte[0];
  private static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  private final Forwarder forwarder;
  private final MethodDescriptor<byte[], byte[]> method;
  private final ServerCall<byte[], byte[]> downstream;
  private final Metadata headers;
  private final CallInfo info;
  private final Deadline deadline;
  private final CallSerializer serial = new CallSerializer();

  private ClientCall<byte[], byte[]> upstream;
  private Decision decision;
  private boolean closed;
  private boolean downstreamRequestPending;
  private boolean upstreamRequestPending;
  private long upstreamStart;

  ProxiedCall(Forwarder forwarder, MethodDescriptor<byte[], byte[]> method,
      ServerCall<byte[], byte[]> downstream, Metadata headers, CallInfo info, Deadline deadline) {
    this.forwarder = forwarder;
    this.method = method;
    this.downstream = downstream;
    this.headers = headers;
    this.info = info;
    this.deadline = deadline;
  }

  /** Starts reading the caller's first message; returns the listener for the server call. */
  ServerCall.Listener<byte[]> start() {
    downstream.request(1);
    return new DownstreamListener();
  }

  private void onDownstreamMessage(byte[] message) {
    if (closed) {
      return;
    }
    if (decision == null) {
      decideThenOpen(message, true);
      return;
    }
    upstream.sendMessage(message);
    requestDownstreamWhenUpstreamReady();
  }

  private void onDownstreamHalfClose() {
    if (closed) {
      return;
    }
    if (decision == null) {
      decideThenOpen(EMPTY, false);
    }
    if (!closed && upstream != null) {
      upstream.halfClose();
    }
  }

  /** Decides on the first message; opens the upstream call only when the call may proceed. */
  private void decideThenOpen(byte[] body, boolean send) {
    long started = System.nanoTime();
    try {
      decision = forwarder.decider().decide(forwarder.policy().current(), caller(),
          method.getFullMethodName(), body, headerValues(NAMESPACE_HEADER));
    } catch (RuntimeException e) {
      closeDownstream(Status.INTERNAL.withDescription(
          "the proxy could not decide this call, so it was not forwarded").withCause(e));
      return;
    }
    forwarder.observer().decisionTime(System.nanoTime() - started);
    boolean enforce = forwarder.mode() == EnforcementMode.ENFORCE;
    forwarder.observer().decided(decision, info, enforce);
    if (!decision.allowed() && enforce) {
      closeDownstream(Status.fromCodeValue(Status.Code.valueOf(decision.status().name()).value())
          .withDescription(decision.message()));
      return;
    }
    CallOptions options = CallOptions.DEFAULT.withExecutor(serial);
    if (deadline != null) {
      options = options.withDeadline(deadline);
    }
    upstream = forwarder.upstream().newCall(method, options);
    upstreamStart = System.nanoTime();
    upstream.start(new UpstreamListener(), forwarder.credentials().upstreamHeaders(headers));
    upstream.request(1);
    if (send) {
      upstream.sendMessage(body);
      requestDownstreamWhenUpstreamReady();
    }
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

  /**
   * The caller's credentials: one {@code authorization} header. Several are refused rather than
   * checking one while forwarding all.
   */
  private Caller caller() {
    List<String> authorizations = headerValues(UpstreamCredentials.AUTHORIZATION);
    if (authorizations.isEmpty()) {
      return Caller.anonymous();
    }
    if (authorizations.size() > 1) {
      return Caller.conflicting(authorizations.size());
    }
    String value = authorizations.get(0).strip();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Caller.apiKey(value.substring(7).strip());
    }
    return Caller.apiKey(value);
  }

  private void requestDownstreamWhenUpstreamReady() {
    if (upstream.isReady()) {
      downstream.request(1);
    } else {
      downstreamRequestPending = true;
    }
  }

  private void onUpstreamMessage(byte[] message) {
    if (closed) {
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
      closed = true;
      downstream.close(status, trailers);
    }
  }

  private void closeDownstream(Status status) {
    if (!closed) {
      closed = true;
      downstream.close(status, new Metadata());
    }
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
        closed = true;
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
      if (!closed) {
        downstream.sendHeaders(responseHeaders);
      }
    }

    @Override
    public void onMessage(byte[] message) {
      onUpstreamMessage(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onUpstreamClose(status, trailers);
    }

    @Override
    public void onReady() {
      if (downstreamRequestPending && !closed && upstream.isReady()) {
        downstreamRequestPending = false;
        downstream.request(1);
      }
    }
  }
}
