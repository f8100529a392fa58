package dev.temporalrbac.proxy.observe;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An audit sink whose writes wait until {@link #release()}: the audit log's writer thread stops
 * inside the first write, so records queue up behind it and a test can fill the queue. Every
 * wait is bounded (a test that forgets to release fails instead of hanging).
 */
final class BlockingSink extends Writer {
  private final CountDownLatch writing = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final StringWriter written = new StringWriter();

  /** Waits until the writer thread is inside a write (it holds one record, the queue is empty). */
  void awaitWriting() throws InterruptedException {
    if (!writing.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the audit writer never wrote");
    }
  }

  /** Lets every write through from now on. */
  void release() {
    release.countDown();
  }

  /** What was written, once released. */
  StringWriter written() {
    return written;
  }

  @Override
  public void write(char[] chars, int off, int len) {
    writing.countDown();
    try {
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the sink");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    written.write(chars, off, len);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
