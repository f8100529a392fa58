package dev.temporalrbac.bench.attack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The recording upstream's {@code /stats} lines ({@code name value}), read over HTTP. */
final class UpstreamStats {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Map<String, String> values;

  private UpstreamStats(Map<String, String> values) {
    this.values = values;
  }

  /** Reads the stats at {@code url} (null: an empty snapshot, every counter 0). */
  static UpstreamStats fetch(String url) throws IOException, InterruptedException {
    Map<String, String> values = new HashMap<>();
    if (url != null) {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : body.split("\n")) {
        int space = line.indexOf(' ');
        if (space > 0) {
          values.put(line.substring(0, space), line.substring(space + 1));
        }
      }
    }
    return new UpstreamStats(values);
  }

  long count(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  String text(String name) {
    return values.getOrDefault(name, "");
  }

  /** {@code this} minus {@code before} for one counter. */
  long since(UpstreamStats before, String name) {
    return count(name) - before.count(name);
  }
}
