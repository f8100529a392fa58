package dev.temporalrbac.proxy;

import dev.temporalrbac.proxy.cli.Cli;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of the fat jar. Only wires the process streams to {@link Cli} and exits with its
 * code; stdout is buffered and UTF-8 whatever the platform default, so batch {@code explain}
 * output is fast and byte-stable (commands flush where a reader waits for a line).
 */
public final class Main {
  /**
   * grpc-java logs a WARNING with a stack trace for every request it refuses while reading it
   * (a message over {@code limits.max_request_bytes}): a remote caller could fill the log with
   * them. Those refusals answer the caller RESOURCE_EXHAUSTED and are not the operator's
   * problem, so that logger keeps only SEVERE records. Held here: java.util.logging keeps
   * loggers weakly, and a collected logger would forget its level.
   */
  private static final Logger STREAM_LOG =
      Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // One line per log record: time, level, logger, message (stack trace when there is one).
      System.setProperty("java.util.logging.SimpleFormatter.format",
          "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    STREAM_LOG.setLevel(Level.SEVERE);
    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
        StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    int code;
    try {
      code = Cli.run(args, System.in, out, err);
    } catch (Throwable e) {
      // Never leave a half-started proxy running: report and exit non-zero.
      err.println("temporal-rbac-proxy: unexpected failure: " + e);
      e.printStackTrace(err);
      code = 1;
    }
    out.flush();
    err.flush();
    System.exit(code);
  }
}
