package dev.temporalrbac.proxy.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * Turns a failure to bind one of serve's ports into a message that names the port (its setting
 * and flag) and the address: the JDK's "Address already in use" says neither, and serve binds two
 * ports. Stateless.
 */
final class PortTaken {
  private PortTaken() {}

  /**
   * {@code failure} as it should be reported: when a {@link BindException} caused it, an
   * exception saying which port could not be bound, where, and why; otherwise {@code failure}.
   *
   * @param setting the setting that chose the address ({@code listen}, {@code admin}); its flag
   *     has the same name
   */
  static IOException explain(IOException failure, String setting, InetSocketAddress address) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException bind) {
        String why = bind.getMessage() == null ? "cannot bind" : bind.getMessage();
        String hint = why.toLowerCase(java.util.Locale.ROOT).contains("in use")
            ? ": another process (perhaps another proxy) listens there; stop it, or choose"
                + " another port with " + setting + " / --" + setting
            : "";
        return new IOException("cannot listen on " + shown(address) + " (the " + setting
            + " port, setting " + setting + ", flag --" + setting + "): " + why + hint, failure);
      }
    }
    return failure;
  }

  private static String shown(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
