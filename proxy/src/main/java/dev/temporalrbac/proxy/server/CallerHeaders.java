package dev.temporalrbac.proxy.server;

import dev.temporalrbac.policy.eval.Caller;
import io.grpc.Metadata;
import java.util.Iterator;

/**
 * Reads how a caller identified itself from its gRPC headers: one {@code authorization} header,
 * {@code Bearer <secret>} or the bare secret. Several are refused (the proxy would check one while
 * another might be acted on), none is anonymous. Stateless; any thread.
 */
final class CallerHeaders {
  private CallerHeaders() {}

  static Caller caller(Metadata headers) {
    Iterable<String> values = headers.getAll(UpstreamCredentials.AUTHORIZATION);
    if (values == null) {
      return Caller.anonymous();
    }
    Iterator<String> each = values.iterator();
    if (!each.hasNext()) {
      return Caller.anonymous();
    }
    String value = each.next().strip();
    int count = 1;
    for (; each.hasNext(); each.next()) {
      count++;
    }
    if (count > 1) {
      return Caller.conflicting(count);
    }
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Caller.apiKey(value.substring(7).strip());
    }
    return Caller.apiKey(value);
  }
}
