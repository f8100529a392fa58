package dev.temporalrbac.bench.attack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The proxy's admin port over HTTP: {@code /metrics} samples and {@code /readyz}. */
final class Metrics {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Metrics() {}

  static HttpResponse<String> get(String admin, String path) throws IOException,
      InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + admin + path))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code /readyz} status code; -1 when it did not answer. */
  static int readyz(String admin) {
    try {
      return get(admin, "/readyz").statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Sum of the samples of {@code name} whose line contains every fragment; -1 if unreachable. */
  static double sum(String admin, String name, String... fragments) {
    try {
      double total = 0;
      for (String line : get(admin, "/metrics").body().split("\n")) {
        if (line.startsWith(name) && List.of(fragments).stream().allMatch(line::contains)) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The {@code version} label of {@code temporal_rbac_policy_info}, or "" if none. */
  static String policyVersion(String admin) {
    try {
      for (String line : get(admin, "/metrics").body().split("\n")) {
        int at = line.indexOf("version=\"");
        if (line.startsWith("temporal_rbac_policy_info") && at >= 0) {
          return line.substring(at + 9, line.indexOf('"', at + 9));
        }
      }
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }
}
