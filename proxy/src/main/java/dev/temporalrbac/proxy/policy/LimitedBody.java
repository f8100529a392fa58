package dev.temporalrbac.proxy.policy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into memory up to a limit: a {@code Content-Length} over it is
 * refused before any byte is read, and a body that grows past it is cancelled at that moment
 * (closing the connection), so a huge or endless answer never fills the heap. With a limit of 0
 * the body is not read at all (answers whose body is not wanted). One instance per response;
 * called by the HTTP client's threads one at a time, as {@link Flow.Subscriber} requires.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The body passed its limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final long limit;
  private final long declared;
  private Flow.Subscription subscription;

  LimitedBody(HttpResponse.ResponseInfo info, long limit) {
    this.limit = limit;
    this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (limit == 0) {
      subscription.cancel();
      result.complete(new byte[0]);
    } else if (declared > limit) {
      tooLarge(declared + " bytes announced");
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      if (result.isDone()) {
        return;
      }
      if (bytes.size() + (long) buffer.remaining() > limit) {
        tooLarge("more than that sent");
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  private void tooLarge(String what) {
    subscription.cancel();
    result.completeExceptionally(new TooLarge("the answer is larger than " + limit
        + " bytes (policy.max_bytes; " + what + "); refused"));
  }
}
