package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test harness: {@code serve} on a thread of this JVM, until closed; its admin port found. */
final class ServeInThread implements AutoCloseable {
  private static final Pattern ADMIN = Pattern.compile("admin on [^,]*:(\\d+),");

  private final CountDownLatch stop = new CountDownLatch(1);
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final AtomicReference<String> ready = new AtomicReference<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final Logger log = Logger.getLogger(ServeCommand.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getMessage() != null && record.getMessage().startsWith("ready:")) {
        ready.set(record.getMessage());
        started.countDown();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Thread serve;
  private final int adminPort;

  /** Starts {@code serve ARGV} and waits (at most 60 s) until it logs that it is ready. */
  ServeInThread(String... argv) throws InterruptedException {
    log.addHandler(handler);
    serve = new Thread(() -> exit.set(new ServeCommand(stop).run(argv,
        new ByteArrayInputStream(new byte[0]), new PrintStream(err, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))), "serve-under-test");
    serve.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (serve.isAlive() && System.nanoTime() < deadline
        && !started.await(100, TimeUnit.MILLISECONDS)) {
      // until serve is ready, or has exited on an error
    }
    if (ready.get() == null) {
      close();
      throw new AssertionError("serve did not start: " + err);
    }
    Matcher admin = ADMIN.matcher(ready.get());
    assertTrue(admin.find(), ready.get());
    adminPort = Integer.parseInt(admin.group(1));
  }

  /** GETs {@code path} on the admin port. */
  HttpResponse<String> admin(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What serve printed to its error stream. */
  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Stops serve (waiting at most 30 s); its exit code, or -1 while it has not exited. */
  int stop() throws InterruptedException {
    stop.countDown();
    serve.join(TimeUnit.SECONDS.toMillis(30));
    log.removeHandler(handler);
    return exit.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
