package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.proxy.config.FileProblem;
import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS files {@code serve} will read, checked before the server starts, so a missing or
 * unreadable one is reported with its setting and why (Netty's TLS builder only says "File does
 * not contain valid certificates", with a stack trace). Stateless.
 */
final class ServeFiles {
  private ServeFiles() {}

  /** One line per TLS file that cannot be read: {@code tls.cert: PATH: no such file}. */
  static List<String> unreadableTlsFiles(ProxyConfig config) {
    Map<String, Path> files = new LinkedHashMap<>();
    add(files, "tls", config.downstreamTls());
    add(files, "upstream.tls", config.upstreamTls());
    List<String> problems = new ArrayList<>();
    files.forEach((setting, file) -> {
      try (InputStream in = Files.newInputStream(file)) {
        if (Files.isDirectory(file)) {
          throw new IOException("is a directory");
        }
      } catch (IOException e) {
        problems.add(setting + ": " + FileProblem.describe(file, e));
      }
    });
    return problems;
  }

  private static void add(Map<String, Path> files, String prefix, ProxyConfig.TlsFiles tls) {
    if (tls == null) {
      return;
    }
    if (tls.cert() != null) {
      files.put(prefix + ".cert", tls.cert());
    }
    if (tls.key() != null) {
      files.put(prefix + ".key", tls.key());
    }
    if (tls.ca() != null) {
      files.put(prefix + (prefix.equals("tls") ? ".client_ca" : ".ca"), tls.ca());
    }
  }
}
