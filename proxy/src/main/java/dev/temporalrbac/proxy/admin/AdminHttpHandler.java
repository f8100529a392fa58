package dev.temporalrbac.proxy.admin;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One admin connection, after Netty's HTTP/1.1 decoder and aggregator: routes each request to
 * {@link AdminPages} and writes the answer. One request is answered at a time: pipelined
 * requests are answered in order while each answer is written at once; one already read while
 * {@code /metrics} is being rendered is dropped and the connection closed after that answer
 * (HTTP/1.1 allows this), and reading pauses until then.
 *
 * <p>Bounds: a connection must deliver each whole request within
 * {@link AdminLimits#requestTimeout()} of opening or of its previous answer, and take each
 * answer within the same time of asking, or it is closed (so no connection stays busy for ever);
 * keep-alive ends after {@link AdminLimits#maxRequestsPerConnection()} answers; a request the
 * decoder rejects (line or headers too long, not HTTP) is answered 414/431/400 and the connection
 * closed. {@code /metrics} is rendered on the scrape executor, so a slow scrape never delays
 * {@code /healthz} on the event loop.
 *
 * <p>Threading: every method runs on the connection's event loop (the scrape's answer is handed
 * back to it), so the fields need no lock.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = Logger.getLogger(AdminHttpHandler.class.getName());

  private final AdminPages pages;
  private final ConnectionBudget budget;
  private final AdminLimits limits;
  private final Executor scrapes;
  private ScheduledFuture<?> deadline;
  private boolean accepted;
  private boolean busy;
  private boolean closeAfterAnswer;
  private int answered;

  AdminHttpHandler(AdminPages pages, ConnectionBudget budget, AdminLimits limits,
      Executor scrapes) {
    this.pages = pages;
    this.budget = budget;
    this.limits = limits;
    this.scrapes = scrapes;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    accepted = budget.opened();
    if (!accepted) {
      LOG.fine("admin connection refused: every connection held is being answered");
      ctx.close();
      return;
    }
    awaitRequest(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    if (accepted) {
      accepted = false;
      budget.closed(ctx.channel());
    }
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (busy) {
      closeAfterAnswer = true;
      return;
    }
    busy = true;
    cancelDeadline();
    // the answer must be taken within the same time: a client that asks and never reads would
    // otherwise keep a busy connection (never evicted) for ever
    deadline = ctx.executor().schedule(() -> {
      LOG.fine("admin connection closed: the answer was not taken within the request timeout");
      ctx.close();
    }, limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    budget.busy(ctx.channel());
    ctx.channel().config().setAutoRead(false);
    if (!request.decoderResult().isSuccess()) {
      answer(ctx, AdminPages.malformed(request.decoderResult().cause(), limits.maxHeaderBytes()),
          false, false);
      return;
    }
    answered++;
    boolean keepAlive = HttpUtil.isKeepAlive(request)
        && answered < limits.maxRequestsPerConnection();
    HttpMethod method = request.method();
    boolean head = HttpMethod.HEAD.equals(method);
    if (!head && !HttpMethod.GET.equals(method)) {
      answer(ctx, AdminPages.NOT_ALLOWED, false, keepAlive);
      return;
    }
    switch (path(request.uri())) {
      case "/healthz":
        answer(ctx, AdminPages.HEALTHY, head, keepAlive);
        break;
      case "/readyz":
        answer(ctx, pages.readiness(), head, keepAlive);
        break;
      case "/metrics":
        scrape(ctx, head, keepAlive);
        break;
      case "/.well-known/jwks.json":
      case "/jwks.json":
        answer(ctx, pages.jwks(), head, keepAlive);
        break;
      default:
        answer(ctx, AdminPages.NOT_FOUND, head, keepAlive);
    }
  }

  /** The path of a request target, without the query; nothing is decoded, so nothing fails. */
  private static String path(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  private void scrape(ChannelHandlerContext ctx, boolean head, boolean keepAlive) {
    try {
      scrapes.execute(() -> {
        AdminPages.Page page = pages.metrics();
        ctx.executor().execute(() -> answer(ctx, page, head, keepAlive));
      });
    } catch (RejectedExecutionException e) {
      answer(ctx, AdminPages.SCRAPES_BUSY, head, keepAlive);
    }
  }

  private void answer(ChannelHandlerContext ctx, AdminPages.Page page, boolean head,
      boolean keepAlive) {
    if (!ctx.channel().isActive()) {
      return;
    }
    byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, page.status(), content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, page.contentType())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (page == AdminPages.NOT_ALLOWED) {
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    }
    if (page == AdminPages.SCRAPES_BUSY) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    boolean open = keepAlive && !closeAfterAnswer;
    HttpUtil.setKeepAlive(response, open);
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
      if (!open || closeAfterAnswer || !written.isSuccess()) {
        written.channel().close();
        return;
      }
      busy = false;
      cancelDeadline();
      awaitRequest(ctx);
      written.channel().config().setAutoRead(true);
    });
  }

  /** Waits for the next request, for at most the request timeout. */
  private void awaitRequest(ChannelHandlerContext ctx) {
    budget.waiting(ctx.channel());
    deadline = ctx.executor().schedule(() -> {
      LOG.fine("admin connection closed: no whole request within the request timeout");
      ctx.close();
    }, limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.FINE, "admin connection failed", cause);
    ctx.close();
  }
}
