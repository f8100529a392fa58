package dev.temporalrbac.bench.attack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /healthz} on the admin port every 50 ms, each on a new connection (what a kubelet
 * does), 2 s timeout; a probe that times out or answers other than 200 is a failure. Runs on its
 * own daemon thread from {@link #start} to {@link #stop}.
 */
final class HealthProbe {
  private static final byte[] REQUEST = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final String host;
  private final int port;
  private final Latencies latencies = new Latencies(100_000);
  private final AtomicLong probes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;
  private Thread thread;

  HealthProbe(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    host = hostPort.substring(0, colon);
    port = Integer.parseInt(hostPort.substring(colon + 1));
  }

  HealthProbe start() {
    thread = new Thread(this::loop, "healthz-probe");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Probes for {@code seconds}, then stops and returns the figures. */
  Map<String, Object> sleepThenStop(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
    return stop(new java.util.LinkedHashMap<>());
  }

  Map<String, Object> stop(Map<String, Object> into) throws InterruptedException {
    running = false;
    thread.join(5_000);
    into.put("probe_count", probes.get());
    into.put("probe_failures", failures.get());
    into.putAll(latencies.summary("probe"));
    return into;
  }

  private void loop() {
    while (running) {
      long start = System.nanoTime();
      boolean ok = once();
      long elapsed = System.nanoTime() - start;
      probes.incrementAndGet();
      latencies.record(elapsed);
      if (!ok) {
        failures.incrementAndGet();
      }
      long sleep = 50 - elapsed / 1_000_000;
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One probe: true on an HTTP 200 status line within 2 s. */
  boolean once() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(REQUEST);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int n = 0;
      while (n < head.length) {
        int r = in.read(head, n, head.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return new String(head, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }
}
