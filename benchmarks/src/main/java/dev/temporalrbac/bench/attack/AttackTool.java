package dev.temporalrbac.bench.attack;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Hostile input against a running proxy, one attack per run, one JSON line of results on
 * standard output: volume, outcomes by status, wrong allows, timings, {@code pass} against the
 * target behaviour of issue 9. Beside each attack on a working upstream a steady stream of
 * legitimate calls runs on its own connection ({@link Steady}), and with {@code --admin} the
 * admin port's {@code /healthz} is probed every 50 ms ({@link HealthProbe}).
 *
 * <pre>
 * java -cp benchmarks.jar dev.temporalrbac.bench.attack.AttackTool ATTACK [--flag value]...
 *   servers:  upstream --port P --stats-port S [--allowed payments]   (a recording upstream)
 *             hole --port P [--lifetime-seconds 1800]                 (accepts, never answers)
 *   attacks:  fuzz, bare-auth (BypassAttacks); two-messages, oversize, gzip-bomb, rapid-reset
 *             (WireAttacks); blackhole, frozen, outage (UpstreamAttacks); explain-oracle,
 *             admin-slowloris (AdminAttacks); policy-cut (PolicyCutAttack)
 *   common:   --target HOST:PORT  --admin HOST:PORT  --stats URL  --secret S  --allowed NS
 *             --foreign NS  --steady-rate 20  --count N  --label L
 * </pre>
 *
 * See reliability/README.md. Every wait is bounded; the tool exits 0 whether or not the target
 * behaviour held (that is in the JSON), 1 when the attack itself could not run, 2 on usage.
 */
public final class AttackTool {
  /** Attacks whose point is a broken upstream or that measure calls themselves. */
  private static final Set<String> NO_STEADY = Set.of("blackhole", "frozen", "outage",
      "policy-cut");
  /**
   * Attacks whose verdict includes "allowed calls kept passing" ({@code fuzz} is a throughput
   * run: on shared cores its own load may delay the steady calls).
   */
  private static final Set<String> STEADY_JUDGED = Set.of("two-messages", "oversize",
      "gzip-bomb", "rapid-reset", "bare-auth", "explain-oracle", "admin-slowloris");

  private AttackTool() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: AttackTool ATTACK [--flag value]... (see the class Javadoc)");
      System.exit(2);
    }
    String attack = argv[0];
    Options o;
    try {
      o = new Options(argv, 1);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    switch (attack) {
      case "upstream" -> serveUpstream(o);
      case "hole" -> serveHole(o);
      default -> System.exit(attack(attack, o));
    }
  }

  private static int attack(String attack, Options o) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("attack", o.get("label", attack));
    String admin = o.get("admin", null);
    HealthProbe probe = admin == null ? null : new HealthProbe(admin).start();
    int rate = o.integer("steady-rate", 20);
    Steady steady = rate > 0 && !NO_STEADY.contains(attack)
        ? new Steady(o.target(), o.secret(), o.allowed(), rate).warm() : null;
    long start = System.nanoTime();
    int exit = 0;
    try {
      switch (attack) {
        case "fuzz" -> BypassAttacks.fuzz(o, out);
        case "bare-auth" -> BypassAttacks.bareAuth(o, out);
        case "two-messages" -> WireAttacks.twoMessages(o, out);
        case "oversize" -> WireAttacks.oversize(o, out);
        case "gzip-bomb" -> WireAttacks.gzipBomb(o, out);
        case "rapid-reset" -> WireAttacks.rapidReset(o, out);
        case "blackhole" -> UpstreamAttacks.blackhole(o, out);
        case "frozen" -> UpstreamAttacks.frozen(o, out);
        case "outage" -> UpstreamAttacks.outage(o, out);
        case "explain-oracle" -> AdminAttacks.explainOracle(o, out);
        case "admin-slowloris" -> AdminAttacks.slowloris(o, out);
        case "policy-cut" -> PolicyCutAttack.run(o, out);
        default -> {
          System.err.println("unknown attack " + attack);
          return 2;
        }
      }
    } catch (Exception e) {
      out.put("error", e.toString());
      out.put("pass", false);
      exit = 1;
    } finally {
      out.put("attack_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
      if (steady != null) {
        steady.stop(out);
        boolean kept = ((Number) out.get("steady_ok")).longValue()
            == ((Number) out.get("steady_sent")).longValue();
        out.put("steady_all_ok", kept);
        if (STEADY_JUDGED.contains(attack)) {
          out.put("pass", Boolean.TRUE.equals(out.get("pass")) && kept);
        }
      }
      if (probe != null) {
        probe.stop(out);
        if (attack.equals("admin-slowloris")) {
          Object p99 = out.get("probe_p99_ms");
          out.put("pass", Boolean.TRUE.equals(out.get("pass"))
              && ((Number) out.get("probe_failures")).longValue() == 0
              && p99 != null && ((Number) p99).doubleValue() < 100);
        }
      }
    }
    System.out.println(Json.write(out));
    System.out.flush();
    String file = o.get("out", null);
    if (file != null) {
      Files.writeString(Path.of(file), Json.write(out) + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
    return exit;
  }

  private static void serveUpstream(Options o) throws Exception {
    RecordingUpstream upstream = new RecordingUpstream(o.integer("port", 0),
        Set.of(o.allowed().split(",")));
    int stats = upstream.serveStats(o.integer("stats-port", 0));
    System.out.println("PORT " + upstream.port() + " STATS " + stats);
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(upstream::close));
    Thread.sleep(TimeUnit.SECONDS.toMillis(o.integer("lifetime-seconds", 3600)));
    System.out.println(upstream.statsText());
    upstream.close();
  }

  /** Accepts connections and never reads or answers them (an upstream that black-holes). */
  private static void serveHole(Options o) throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", o.integer("port", 0)), 1024);
      System.out.println("PORT " + server.getLocalPort());
      System.out.flush();
      long until = System.nanoTime()
          + TimeUnit.SECONDS.toNanos(o.integer("lifetime-seconds", 1800));
      server.setSoTimeout(1_000);
      while (System.nanoTime() < until) {
        try {
          Socket s = server.accept();
          if (held.size() < 10_000) {
            held.add(s);
          } else {
            s.close();
          }
        } catch (java.net.SocketTimeoutException idle) {
          // keep waiting until the lifetime ends
        }
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
