package dev.temporalrbac.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every java.util.logging record written in this JVM while open (serve in this JVM logs through
 * it), formatted as the console would show it, so a test can check what serve logged.
 * Thread-safe: records arrive on serve's threads.
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger root = Logger.getLogger("");
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    setLevel(Level.ALL);
  }

  static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.root.addHandler(capture);
    return capture;
  }

  /** Everything logged so far, one formatted record after another. */
  String text() {
    return String.join("", lines);
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(formatter.format(record));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
