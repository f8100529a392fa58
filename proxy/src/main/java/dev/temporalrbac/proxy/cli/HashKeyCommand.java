package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.eval.Authorizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code hash-key}: prints the SHA-256 of an API key secret, the form the policy file stores. The
 * secret comes from stdin, never from an argument, so it stays out of shell history and the
 * process list; exactly one trailing newline (LF or CRLF) is dropped, as {@code echo} adds one.
 */
public final class HashKeyCommand implements Command {
  /** Far above any real key; stops a mistaken pipe from filling memory. */
  private static final int MAX_SECRET_BYTES = 64 * 1024;

  @Override
  public String name() {
    return "hash-key";
  }

  @Override
  public String summary() {
    return "print the sha256 of an API key secret read from stdin";
  }

  @Override
  public String usage() {
    return "usage: hash-key < secret\n"
        + "  Reads the secret from stdin (one trailing newline is ignored) and prints the\n"
        + "  lower-case hex SHA-256 to put in the policy's api_keys[].sha256. Exit 0; an empty\n"
        + "  secret is a usage error (exit 2).\n";
  }

  @Override
  public Set<String> valueOptions() {
    return Set.of();
  }

  @Override
  public int execute(Args args, InputStream in, PrintStream out, PrintStream err)
      throws UsageException {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_SECRET_BYTES + 1);
    } catch (IOException e) {
      err.println("hash-key: cannot read stdin: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    if (bytes.length > MAX_SECRET_BYTES) {
      throw new UsageException("the secret is longer than " + MAX_SECRET_BYTES + " bytes");
    }
    String secret = stripOneNewline(new String(bytes, StandardCharsets.UTF_8));
    if (secret.isEmpty()) {
      throw new UsageException("no secret on stdin");
    }
    out.println(Authorizer.hashSecret(secret));
    return ExitCode.OK;
  }

  static String stripOneNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    if (text.endsWith("\n")) {
      return text.substring(0, text.length() - 1);
    }
    return text;
  }
}
