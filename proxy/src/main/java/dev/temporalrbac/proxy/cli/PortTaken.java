package dev.temporalrbac.proxy.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Turns a failure to bind one of serve's ports into a message that names the port (its setting
 * and flag) and the address: the JDK's "Address already in use" says neither, grpc-java's
 * "Failed to bind to address" does not say why, and serve binds two ports. Stateless.
 */
final class PortTaken {
  private PortTaken() {}

  /**
   * {@code failure} as it should be reported: when it is a failure to bind (a
   * {@link BindException}, or netty's native "bind(..) failed"), an exception saying which port
   * could not be bound, where, and why; otherwise {@code failure} itself.
   *
   * @param setting the setting that chose the address ({@code listen}, {@code admin}); its flag
   *     has the same name
   */
  static IOException explain(IOException failure, String setting, InetSocketAddress address) {
    boolean bind = false;
    Throwable root = failure;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? "" : cause.getMessage();
      bind |= cause instanceof BindException
          || message.toLowerCase(Locale.ROOT).contains("bind");
      root = cause;
    }
    if (!bind) {
      return failure;
    }
    String why = root.getMessage() == null ? "cannot bind" : root.getMessage();
    // netty's native transport: "bind(..) failed with error(-98): Address already in use"
    why = why.substring(why.lastIndexOf(": ") < 0 ? 0 : why.lastIndexOf(": ") + 2);
    String hint = why.toLowerCase(Locale.ROOT).contains("in use")
        ? "; another process (perhaps another proxy) listens there: stop it, or choose"
            + " another port with " + setting + " / --" + setting
        : "";
    return new IOException("cannot listen on " + shown(address) + " (the " + setting
        + " port, setting " + setting + ", flag --" + setting + "): " + why + hint, failure);
  }

  private static String shown(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
