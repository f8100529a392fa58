package dev.temporalrbac.bench.attack;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The admin port.
 *
 * <ul>
 *   <li>{@code explain-oracle}: {@code --count} {@code PolicyAdmin/Explain} calls guessing API
 *       keys, as a caller that is no admin, on the main port and on the admin port; target: no
 *       answer on either (PERMISSION_DENIED or UNAUTHENTICATED on the main port, no gRPC on the
 *       admin port), and every refusal counted in {@code temporal_rbac_decisions_total}
 *   <li>{@code admin-slowloris}: {@code --connections} connections to the admin port each
 *       holding an unfinished HTTP request for {@code --hold-seconds}; target: {@code /healthz}
 *       (the tool's probe) keeps answering, p99 under 100 ms
 * </ul>
 */
final class AdminAttacks {
  private static final String DECISIONS = "temporal_rbac_decisions_total";
  private static final String DENY = "decision=\"deny\"";

  private AdminAttacks() {}

  static Map<String, Object> explainOracle(Options o, Map<String, Object> out) throws Exception {
    int count = o.integer("count", 2_000);
    String admin = o.required("admin");
    Map<String, Object> ports = new LinkedHashMap<>();
    // Denials are counted in temporal_rbac_decisions_total{decision="deny"} (methods outside
    // the catalog under method="other"); the steady stream beside is allowed calls only.
    double deniedBefore = Metrics.sum(admin, DECISIONS, DENY);
    Calls.Tally main = guesses(o.target(), o, count);
    double counted = Metrics.sum(admin, DECISIONS, DENY) - deniedBefore;
    Calls.Tally adminPort = guesses(admin, o, count);
    ports.put("main", main.snapshot());
    ports.put("admin", adminPort.snapshot());
    long answered = main.get("OK") + adminPort.get("OK");
    boolean mainRefused = main.get(Status.Code.PERMISSION_DENIED.name())
        + main.get(Status.Code.UNAUTHENTICATED.name()) == count && main.total() == count;
    out.put("volume", main.total() + " on the main port, " + adminPort.total() + " on the admin port");
    out.put("statuses", ports);
    out.put("oracle_answers", answered);
    out.put("main_port_denials_counted", counted);
    out.put("pass", answered == 0 && mainRefused && counted >= count);
    return out;
  }

  private static Calls.Tally guesses(String target, Options o, int count) throws Exception {
    ManagedChannel channel = Calls.channel(target);
    Metadata headers = Calls.headers("Bearer " + o.secret(), null);
    Calls.Tally tally = new Calls.Tally();
    Semaphore slots = new Semaphore(16);
    SplittableRandom random = new SplittableRandom(7);
    // A port that no longer speaks gRPC may leave each call to its deadline: bound the phase.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 60));
    try {
      for (int i = 0; i < count && System.nanoTime() < until; i++) {
        byte[] guess = new byte[16];
        random.nextBytes(guess);
        String key = i == 0 ? "example-owner-secret" : "guess-" + HexFormat.of().formatHex(guess);
        slots.acquire();
        Calls.call(channel, Samples.EXPLAIN, Samples.explain(key, o.allowed()), headers, 2_000)
            .thenAccept(r -> {
              tally.add(r.code());
              slots.release();
            });
      }
      slots.tryAcquire(16, 30, TimeUnit.SECONDS);
      return tally;
    } finally {
      channel.shutdownNow();
    }
  }

  static Map<String, Object> slowloris(Options o, Map<String, Object> out) throws Exception {
    String admin = o.required("admin");
    int connections = o.integer("connections", 64);
    int hold = o.integer("hold-seconds", 10);
    int colon = admin.lastIndexOf(':');
    List<Socket> sockets = new ArrayList<>();
    byte[] partial = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(
        StandardCharsets.US_ASCII);
    int opened = 0;
    // The probe's latency on this machine before the attack: shared cores add their own.
    Map<String, Object> baseline = new HealthProbe(admin).start().sleepThenStop(3);
    out.put("baseline_probe_p99_ms", baseline.get("probe_p99_ms"));
    try {
      for (int i = 0; i < connections; i++) {
        Socket s = new Socket();
        sockets.add(s);
        try {
          s.connect(new InetSocketAddress(admin.substring(0, colon),
              Integer.parseInt(admin.substring(colon + 1))), 2_000);
          OutputStream os = s.getOutputStream();
          os.write(partial);
          os.flush();
          opened++;
        } catch (IOException refused) {
          // counted: fewer opened than asked
        }
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(hold));
      int stillOpen = 0;
      for (Socket s : sockets) {
        try {
          s.setSoTimeout(1);
          stillOpen += s.getInputStream().read() == -1 ? 0 : 1;
        } catch (java.net.SocketTimeoutException open) {
          stillOpen++;
        } catch (IOException closed) {
          // closed by the server
        }
      }
      out.put("volume", opened + " connections x " + hold + " s");
      out.put("still_open_at_end", stillOpen);
      out.put("pass", true); // judged on the health probe by AttackTool
      return out;
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
