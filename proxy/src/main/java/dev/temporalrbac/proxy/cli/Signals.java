package dev.temporalrbac.proxy.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an orderly stop rather than the JVM's default exit 143: the proxy drains
 * calls and exits 0. Uses {@code sun.misc.Signal} (module jdk.unsupported), the only JDK hook
 * that replaces the default handling.
 */
final class Signals {
  private Signals() {}

  static void onTermination(Runnable action) {
    Signal.handle(new Signal("TERM"), signal -> action.run());
    Signal.handle(new Signal("INT"), signal -> action.run());
  }
}
